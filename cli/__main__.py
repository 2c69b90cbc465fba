from cli.main import main
from present.terminal import protect_output

if __name__ == "__main__":
    protect_output()  # no title, name or cell can send a terminal escape through the output
    raise SystemExit(main())
