"""Host tooling for Ringlet: build, run, test, symbolize."""
