"""Training with a code: coded gradient descent with stragglers, simulated or run.

* :mod:`~gcli.training.simulation` — simulated rounds against the uncoded baselines (:func:`gcli.simulate`);
* :mod:`~gcli.training.runtime` — worker processes on one machine (``gcli run``);
* :mod:`~gcli.training.decoders` — decoders as policies of the server (:func:`gcli.make_decoder`);
* :mod:`~gcli.training.datasets`, :mod:`~gcli.training.models` — data and models of the examples.
"""
