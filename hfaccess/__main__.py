"""`python -m hfaccess`: the same entry point as the `hfaccess` console script."""

from hfaccess.cli import main

main()
