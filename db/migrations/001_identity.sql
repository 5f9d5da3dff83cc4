-- Tenants, their users, source-IP allow lists and reseller grants.
-- Applied in file-name order by db/migrate.ts (the deployment's migration function), each file once.

CREATE TABLE companies (
  id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text        NOT NULL CHECK (length(btrim(name)) > 0),
  -- customer: a tenant; reseller: may create users in the companies granted to it;
  -- operator: the company of this service's internal staff.
  kind        text        NOT NULL DEFAULT 'customer' CHECK (kind IN ('customer', 'reseller', 'operator')),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id  uuid        NOT NULL REFERENCES companies (id),
  -- Which Cognito user pool the user signs in to (product end users or console operators).
  user_pool   text        NOT NULL CHECK (user_pool IN ('product', 'console')),
  cognito_sub uuid        NOT NULL UNIQUE,
  -- Normalised once at sign-up (trim, NFKC, lowercase); the check keeps un-normalised
  -- IDs out even when a row is written by something other than the triggers.
  login_id    text        NOT NULL CHECK (login_id = lower(btrim(login_id)) AND login_id = normalize(login_id, NFKC)),
  email       text        NOT NULL,
  status      text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled', 'deleted')),
  roles       text[]      NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (company_id, login_id)
);

CREATE TABLE company_ip_allow_lists (
  company_id  uuid        NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  cidr        cidr        NOT NULL,
  description text        NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, cidr)
);

CREATE TABLE reseller_grants (
  reseller_company_id uuid        NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  client_company_id   uuid        NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  granted_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (reseller_company_id, client_company_id),
  CHECK (reseller_company_id <> client_company_id)
);
