"""The help texts of ``gcli design``: one record per scheme of :data:`gcli.constructions.SCHEMES`.

A :class:`SchemeHelp` holds what the command line shows and nothing the library needs: a one-line summary for
``gcli design --help``, the description of ``gcli design SCHEME --help`` (plain text for users), per-parameter
flags and help (a parameter without a record gets ``--name`` and the help line of the builder's docstring;
:mod:`gcli.cli.options` generates the options from the builder's signature), the help of ``--near`` and, for a
family whose options are not a builder's plain signature, its hand-written click command. Importing this module
imports nothing heavy: ``gcli design --help`` lists the schemes from these records alone.

Example:
    >>> HELP["crc"].summary
    'cyclic repetition code (Tandon et al.), d = s + 1'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = ["HELP", "Option", "SchemeHelp"]


@dataclass(frozen=True)
class Option:
    """Command-line metadata of one builder parameter: its flags (default ``--name``), help text, and older
    flags still accepted with a deprecation line (old flag → what it was for, e.g. ``{"-k": "for the block
    size"}``)."""

    flags: tuple[str, ...] = ()
    help: str = ""
    renamed_from: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SchemeHelp:
    """What ``gcli design SCHEME`` shows: summary, description, per-parameter options, ``--near`` help, and the
    hand-written command if any."""

    summary: str
    description: str
    options: Mapping[str, Option] = field(default_factory=dict)
    search_help: str = ""
    command: str | None = None
    """``module:attribute`` of a hand-written click command, for a family whose options are not a builder's
    plain signature (per-cluster lists, alternatives between flags); None: generated from the signature."""


_TANDON = ("R. Tandon, Q. Lei, A. G. Dimakis, N. Karampatziakis, \"Gradient Coding: Avoiding Stragglers in "
           "Distributed Learning\", ICML 2017 (arXiv:1612.03301).")

HELP: Mapping[str, SchemeHelp] = MappingProxyType({
    "frc": SchemeHelp(
        summary="fractional repetition code (Tandon et al.), needs (s+1) | n",
        description=(
            "Fractional repetition gradient code: the n workers form n/(s+1) groups of s+1; every worker of a "
            "group holds the same s+1 partitions and sends their sum, so the server adds one message per group. "
            "Tolerates s stragglers with load d = s+1 (optimal). Needs (s+1) | n.\n\nReference: " + _TANDON
        ),
    ),
    "crc": SchemeHelp(
        summary="cyclic repetition code (Tandon et al.), d = s + 1",
        description=(
            "Cyclic repetition gradient code: worker i holds partitions i, ..., i+s (mod n) and sends a linear "
            "combination of them such that any n-s messages span the all-ones vector (load d = s+1, optimal). Over "
            "the reals the default is the real form of the cyclic MDS codes of Raviv et al. (a real Fourier code, "
            "well conditioned); --code gaussian gives Tandon et al.'s seeded random construction. Over GF(q) the "
            "rows are Reed-Solomon codewords (cyclic when n divides q-1). Every code is certified before it is "
            "written, and the check is recorded in the file.\n\n"
            "References: " + _TANDON + " N. Raviv, I. Tamo, R. Tandon, A. G. Dimakis, \"Gradient Coding from "
            "Cyclic MDS Codes and Expander Graphs\", ICML 2018."
        ),
    ),
    "reed-solomon": SchemeHelp(
        summary="polynomial (Reed-Solomon / Ye-Abbe) code, d = s + 2a + m",
        description=(
            "Polynomial gradient code: worker w sends P(theta_w) for a polynomial whose top m coefficients are "
            "the m blocks of the gradient sum; partition j's polynomials vanish at the workers that do not hold "
            "it. With m = 1 this is the Reed-Solomon gradient code of Halbawi et al.; m > 1 is the "
            "communication-efficient code of Ye and Abbe (each worker sends 1/m of a gradient). Load "
            "d = s + 2a + m, which meets the lower bound. Over the reals the evaluation points are Chebyshev "
            "(default) or equispaced nodes on [-1, 1].\n\n"
            "References: W. Halbawi, N. Azizan-Ruhi, F. Salehi, B. Hassibi, \"Improving Distributed Gradient "
            "Descent Using Reed-Solomon Codes\", ISIT 2018. M. Ye, E. Abbe, \"Communication-Computation "
            "Efficient Gradient Coding\", ICML 2018."
        ),
        options={"points": Option(("--nodes",), "evaluation points over the reals",
                                  renamed_from={"--points": "for the evaluation points"})},
    ),
    "mds": SchemeHelp(
        summary="code from any linear [d, m, delta] code (Kadhe et al.)",
        description=(
            "Communication-efficient gradient code from a linear [d, m, delta] code: the block length is the "
            "computation load d, the dimension is the communication reduction m, and the minimum distance gives "
            "the stragglers tolerated, s = delta - 1 - 2a. By default d = s + 2a + m (the trade-off bound); the "
            "workers share partitions in groups when d divides n and in a cyclic window otherwise, over any "
            "field. Fourier and Gaussian generators (reals) and Reed-Solomon generators (GF(q)) are MDS and meet "
            "the bound; random, BCH or your own generator (JSON list of lists or .npy) are accepted and their "
            "exact minimum distance decides s. Every code is certified before it is written.\n\n"
            "Reference: S. Kadhe, O. O. Koyluoglu, K. Ramchandran, \"Communication-Efficient Gradient Coding "
            "for Straggler Mitigation in Distributed Learning\", ISIT 2020."
        ),
        options={
            "d": Option(("-d", "--load"), "block length d = computation load"),
            "code": Option(help="linear code family for the generator"),
            "generator": Option(help="your own generator matrix: a JSON list of lists or a .npy file"),
            "placement": Option(help="groups: d workers share d partitions (needs d | n); cyclic: any n"),
        },
    ),
    "universal": SchemeHelp(
        summary="polynomial code for any placement, messages 1/(r - s - 2a)",
        description=(
            "Polynomial gradient code for any data placement: you give which partitions each worker holds "
            "(uneven loads allowed) and every worker sends P(theta_w) for a polynomial whose top m coefficients "
            "are the m blocks of the gradient sum; partition j's polynomials vanish at the workers that do not "
            "hold it. With r the least number of workers holding a partition, -m auto (the default) takes "
            "m = r - s - 2a, so each worker sends 1/(r - s - 2a) of a gradient: the least message size any "
            "scheme reaches on this placement (gcli bound tradeoff --placement FILE prints it). Over GF(q) every "
            "placement works (q at least n); over the reals (Chebyshev points) a code that float64 cannot "
            "decode is refused with its condition number. Every code is certified before it is written.\n\n"
            "Placement file: a JSON list of rows, row w the partitions worker w holds, e.g. "
            "[[0, 1], [1, 2], [2, 0]], or an object {\"placement\": [...], \"partitions\": P}.\n\n"
            "Reference: T. Jahani-Nezhad, M. A. Maddah-Ali, \"Optimal Communication-Computation Trade-Off in "
            "Heterogeneous Gradient Coding\", IEEE JSAIT 2021."
        ),
        options={
            "placement": Option(("--placement",), "JSON file: the partitions each worker holds, one row per "
                                                  "worker"),
            "m": Option(("-m", "--comm-reduction"), "communication reduction m (messages of length l/m), or auto: "
                                                    "r - s - 2a, the optimum for the placement"),
            "k": Option(("-k", "--partitions"), "partitions k (default: the file's \"partitions\", else the "
                                                "largest partition held + 1)"),
        },
    ),
    "bibd": SchemeHelp(
        summary="approximate code from a 2-(v, k, lambda) block design",
        description=(
            "Approximate gradient code from a balanced incomplete block design: workers are blocks, partitions "
            "are points (or the reverse with --transpose) and B = c N^T. For a symmetric design c is the "
            "least-squares coefficient, so adding the received messages is the optimal decoder and the error is "
            "the same for every set of n - s responders (the sum is then biased: the file says by how much and "
            "gives the unbiased weight); for other designs c makes the sum unbiased when s random workers "
            "straggle. The file records for which straggler counts least-squares decoding is exact (AG(2,3): "
            "s <= 3). With -m M every worker sends 1/M of a gradient: unbiased null-space codes (default), "
            "universal polynomial codes or the stacked baseline on the design's support. The design is written "
            "into the file and re-certified by gcli verify. Codes are kept and written as compressed rows, so "
            "designs with up to 10^7 incidences work (bibd -v 777 --block-size 3 has 100,492 workers); gcli "
            "verify checks large codes through their fixed decoder.\n\n"
            "Reference: S. Kadhe, O. O. Koyluoglu, K. Ramchandran, \"Gradient Coding Based on Block Designs for "
            "Mitigating Adversarial Stragglers\", ISIT 2019. S. Munim, A. Ramamoorthy, \"Communication-Efficient "
            "Approximate Gradient Coding\", arXiv:2603.22514 (2026)."
        ),
        options={
            "v": Option(("-v", "--points"), "points v (= partitions)"),
            "k": Option(("--block-size",), "block size k", renamed_from={"-k": "for the block size"}),
            "lam": Option(("--lambda",), "lambda: blocks through each pair of points"),
            "transpose": Option(help="workers = points, partitions = blocks"),
            "s": Option(("-s", "--stragglers"), "stragglers planned for (the coefficient is tuned for them)"),
            "m": Option(("-m", "--comm-reduction"), "communication reduction m: each worker sends 1/m of a gradient"),
            "method": Option(help="encoding: structure (the m = 1 rule), nullspace (unbiased; default for m > 1), "
                                  "polynomial (exact up to r - m stragglers) or stacked (the baseline); auto picks"),
            "null_space": Option(("--null-space",), "nullspace codes: min-norm (least variance) or random"),
            "seed": Option(help="seed of the random parts (decoder start, null-space draws, fallback support)"),
            "fallback": Option(help="when gcli cannot build the design, use a seeded random biregular support with "
                                    "the same parameters (stated in the file)"),
        },
        search_help="list the designs gcli can build for about N workers, then exit",
    ),
    "srg": SchemeHelp(
        summary="approximate code from a strongly regular graph",
        description=(
            "Approximate gradient code from a strongly regular graph srg(v, k, lambda, mu): workers and "
            "partitions are the vertices, worker i holds its neighbours (and itself with --loops), B = A/k. "
            "The graph is certified (A^2 = kI + lambda A + mu(J - I - A)), written into the file with its exact "
            "spectrum, and re-certified by gcli verify. With -m M every worker sends 1/M of a gradient "
            "(null-space, polynomial or stacked encoding on the graph's support); --incidence makes the edges "
            "the workers.\n\n"
            "References: S. Munim, A. Ramamoorthy, \"Communication-Efficient Approximate Gradient Coding\", "
            "arXiv:2603.22514 (2026). N. Raviv, I. Tamo, R. Tandon, A. G. Dimakis, ICML 2018 (B = A/d)."
        ),
        options={
            "v": Option(("--vertices",), "vertices v (= workers = partitions)",
                        renamed_from={"-v": "for the vertices"}),
            "k": Option(("--degree",), "degree k of the graph", renamed_from={"-k": "for the degree"}),
            "lam": Option(("--lambda",), "common neighbours of adjacent vertices"),
            "mu": Option(("--mu",), "common neighbours of non-adjacent vertices"),
            "params": Option(("--params",), "the four parameters V,K,LAMBDA,MU in one flag"),
            "loops": Option(help="worker i also holds partition i"),
            "s": Option(("-s", "--stragglers"), "stragglers planned for"),
            "m": Option(("-m", "--comm-reduction"), "communication reduction m: each worker sends 1/m of a gradient"),
            "method": Option(help="encoding: structure (the m = 1 rule), nullspace (unbiased; default for m > 1), "
                                  "polynomial (exact up to r - m stragglers) or stacked (the baseline); auto picks"),
            "null_space": Option(("--null-space",), "nullspace codes: min-norm (least variance) or random"),
            "seed": Option(help="seed of the random parts (decoder start, null-space draws, fallback graph)"),
            "fallback": Option(help="when gcli cannot build the graph, use a seeded random regular graph with the "
                                    "same v and k (stated in the file)"),
            "incidence": Option(help="workers are the edges of the graph, partitions its vertices (Glasgow-Wootters)"),
        },
        search_help="list the strongly regular graphs gcli can build for about N workers, then exit",
    ),
    "graph": SchemeHelp(
        summary="approximate expander code from a regular graph (Raviv et al.)",
        description=(
            "Approximate gradient code from a d-regular graph (expander codes of Raviv et al.): worker i holds "
            "its neighbours and B = A/d. With the fixed decoder n/(n-s) on the responders the error is at most "
            "(lambda/d)^2 n s/(n-s), lambda the second largest eigenvalue modulus. Families: seeded random "
            "regular graphs, Margulis-Gabber-Galil, Lubotzky-Phillips-Sarnak Ramanujan graphs, random bipartite "
            "regular worker x partition graphs, Paley, Petersen, Hoffman-Singleton, cycles, complete graphs. "
            "--incidence builds the graph scheme of Glasgow and Wootters (workers = edges, partitions = "
            "vertices); -m M the communication-efficient encodings on the same support.\n\n"
            "Reference: N. Raviv, I. Tamo, R. Tandon, A. G. Dimakis, \"Gradient Coding from Cyclic MDS Codes and "
            "Expander Graphs\", ICML 2018."
        ),
        options={
            "d": Option(("--degree",), "degree d (fixed by some families)", renamed_from={"-d": "for the degree"}),
            "family": Option(help="graph family"),
            "from_file": Option(("--from",), "your own regular graph instead of a family: a graph6, sparse6 or "
                                              "edge-list file"),
            "n": Option(("-n", "--workers"), "workers n (= partitions = vertices)"),
            "s": Option(("-s", "--stragglers"), "stragglers planned for"),
            "m": Option(("-m", "--comm-reduction"), "communication reduction m: each worker sends 1/m of a gradient"),
            "method": Option(help="encoding: structure (the m = 1 rule), nullspace (unbiased; default for m > 1), "
                                  "polynomial (exact up to r - m stragglers) or stacked (the baseline); auto picks"),
            "null_space": Option(("--null-space",), "nullspace codes: min-norm (least variance) or random"),
            "incidence": Option(help="workers are the edges of the graph, partitions its vertices (Glasgow-Wootters)"),
        },
    ),
    "hierarchical": SchemeHelp(
        summary="two-layer code for relays: optimal relay and worker loads at once",
        description=(
            "Hierarchical gradient code with relays: an outer polynomial code across the K relays and, in each "
            "cluster, an inner code that computes exactly its relay's message, meeting the relay-to-server load "
            "C1 = 1/m1 and the worker-to-relay load C2 = 1/(m1 m2) at the same time, with straggling and lying "
            "relays and workers. Writes gcli.hcode JSON, certified layer by layer by gcli verify.\n\n"
            "References: A. Gholami, T. Jahani-Nezhad, K. Wan, G. Caire, \"Optimal Communication-Computation "
            "Trade-off in Hierarchical Gradient Coding\", arXiv:2502.18251 (2025). T. Jahani-Nezhad, "
            "M. A. Maddah-Ali, \"Optimal Communication-Computation Trade-Off in Heterogeneous Gradient Coding\", "
            "IEEE JSAIT 2021."
        ),
        command="gcli.cli.hierarchical:design_hierarchical",
    ),
})
"""Scheme name → help, for every scheme of :data:`gcli.constructions.SCHEMES`."""
