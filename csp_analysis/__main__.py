import sys

from csp_analysis.pipeline.cli import main

sys.exit(main())
