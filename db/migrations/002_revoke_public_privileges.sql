-- The identity database belongs to the platform: a role may do only what db/roles.ts grants it.
-- PostgreSQL grants PUBLIC (every role) CONNECT and TEMPORARY on a new database and, before
-- version 15, CREATE on the public schema; those defaults go. The owner (the master user,
-- which runs the migrations) keeps every privilege.
-- See https://www.postgresql.org/docs/current/ddl-priv.html#PRIVILEGES-SUMMARY-TABLE

DO $$
BEGIN
  EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
END
$$;

REVOKE ALL ON SCHEMA public FROM PUBLIC;
