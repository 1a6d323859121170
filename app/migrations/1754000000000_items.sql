-- The items table of the reference API (issue 12).
-- Migrations must stay backward compatible with the revision still running during a canary (expand/contract):
-- see app/README.md "Migrations".

-- Up Migration
CREATE TABLE items (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    description text CHECK (char_length(description) <= 2000),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE items;
