"""What the tests and the benchmarks share: servers started once (``servers``), scripted load
(``load``), several instances on shared stores (``cluster``, ``stores``). Not part of the assistant."""
