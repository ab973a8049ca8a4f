from piri.cli.app import main

main()
