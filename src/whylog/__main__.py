from whylog.cli import main

main()
