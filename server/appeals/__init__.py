"""互动交流: appeals to departments, the fast channel, the public mailbox and the transparency figures."""
