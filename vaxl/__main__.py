"""python -m vaxl"""

from vaxl.cli import main

main()
