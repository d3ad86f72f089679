import sys

from ringlet.cli import main

sys.exit(main(sys.argv[1:]))
