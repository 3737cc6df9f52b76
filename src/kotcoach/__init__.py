"""kotcoach: a command-line coach for knees-over-toes strength training."""
