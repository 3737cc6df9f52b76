"""Terminal UIs built on Textual; imported only by the commands that run them."""
