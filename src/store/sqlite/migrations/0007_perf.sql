-- One row the store writes to find out whether writes work again after they failed for a reason of
-- the store (disk full, I/O error), so /healthz recovers without waiting for client traffic.
CREATE TABLE store_probe (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  written_ms INTEGER NOT NULL
);
