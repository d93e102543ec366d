from linker.cli import app

app(prog_name="linker")
