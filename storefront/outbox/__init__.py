"""The one way e-mail leaves the shop: every message is kept, and sent by SMTP when configured."""
