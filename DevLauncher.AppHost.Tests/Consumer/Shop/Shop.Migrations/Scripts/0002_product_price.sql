ALTER TABLE shop.products ADD COLUMN price numeric(10, 2) NOT NULL DEFAULT 0;
