from clerk_tui.launch import main

main()
