INSERT INTO shop.products (name, price) VALUES ('kettle', 25.00), ('teapot', 18.50);
