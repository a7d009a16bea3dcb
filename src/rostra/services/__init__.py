"""Services: the operations of rostra, joining the store and the screen. No HTTP here."""
