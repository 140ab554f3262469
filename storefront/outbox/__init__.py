"""The one way e-mail leaves the shop: a transactional outbox. Every message is a row written in
the same transaction as the change it announces, and sent by SMTP (or logged) after that
transaction commits, with retries."""
