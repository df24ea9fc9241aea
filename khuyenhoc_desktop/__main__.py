from khuyenhoc_desktop.cli import main

raise SystemExit(main())
