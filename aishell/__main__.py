from aishell.cli import run

run()
