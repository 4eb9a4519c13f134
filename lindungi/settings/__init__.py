"""Settings: `local` (embedded defaults, used by `make run`/`make test`) and `production`."""
