from kotcoach.cli import main

main()
