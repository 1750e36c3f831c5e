"""Numbered schema migrations. ``PRAGMA user_version`` holds the vault's schema version.

Each migration is a list of SQL statements applied in order; all pending
migrations run inside one transaction after an encrypted copy of the old file
is made (see ``vault.Vault._migrate``). Never edit a released migration: add one.
"""

from __future__ import annotations

MIGRATIONS: dict[int, list[str]] = {
    1: [
        """CREATE TABLE meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
        """CREATE TABLE settings (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
        # Append-only, hash-chained. Details are JSON without personal data.
        """CREATE TABLE audit_log (
            seq       INTEGER PRIMARY KEY,
            at        TEXT NOT NULL,
            actor     TEXT NOT NULL,
            action    TEXT NOT NULL,
            details   TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash      TEXT NOT NULL
        )""",
        """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
        """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    ],
    # Imports: raw and normalised values with provenance, events, consent, suppression.
    2: [
        """CREATE TABLE imports (
            id          INTEGER PRIMARY KEY,
            file_name   TEXT NOT NULL,              -- base name only
            file_sha256 TEXT NOT NULL,
            preset      TEXT,
            source      TEXT NOT NULL,              -- the tool, e.g. 'shopify'
            status      TEXT NOT NULL DEFAULT 'done' CHECK (status IN ('done', 'undone')),
            started_at  TEXT NOT NULL,
            finished_at TEXT,
            options     TEXT NOT NULL DEFAULT '{}', -- encoding, delimiter, sheet, date order, region, mapping
            rows        INTEGER NOT NULL DEFAULT 0,
            inserted    INTEGER NOT NULL DEFAULT 0,
            updated     INTEGER NOT NULL DEFAULT 0,
            unchanged   INTEGER NOT NULL DEFAULT 0,
            rejected    INTEGER NOT NULL DEFAULT 0,
            suppressed  INTEGER NOT NULL DEFAULT 0,
            warnings    INTEGER NOT NULL DEFAULT 0
        )""",
        # Row numbers and reasons only: a reason never repeats a cell's value.
        """CREATE TABLE import_issues (
            import_id  INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
            row_number INTEGER NOT NULL,
            severity   TEXT NOT NULL CHECK (severity IN ('rejected', 'warning')),
            field      TEXT,
            reason     TEXT NOT NULL
        )""",
        "CREATE INDEX import_issues_by_import ON import_issues(import_id, row_number)",
        """CREATE TABLE source_records (
            id               INTEGER PRIMARY KEY,
            source           TEXT NOT NULL,
            source_record_id TEXT NOT NULL,          -- the tool's id, or a derived key (email:/fp:)
            origin           TEXT NOT NULL,          -- 'customer' (a customer export) or 'event' (from an order/ticket row)
            import_id        INTEGER NOT NULL REFERENCES imports(id),  -- the import that created it
            last_import_id   INTEGER NOT NULL REFERENCES imports(id),  -- the import that last changed it
            file_name        TEXT NOT NULL,
            row_number       INTEGER NOT NULL,
            raw              TEXT NOT NULL,          -- JSON object: header -> cell, exactly as read
            norm             TEXT NOT NULL,          -- JSON list of compact items (ingest.rows.encode_norm_item)
            content_hash     TEXT NOT NULL,
            -- First normalised value of the fields matching and lists read most (all values are in norm):
            display_name     TEXT,
            first_name       TEXT,
            last_name        TEXT,
            email            TEXT,
            phone            TEXT,
            postal_code      TEXT,
            city             TEXT,
            country          TEXT,
            birth_date       TEXT,
            company          TEXT,
            address_key      TEXT,
            created_at       TEXT NOT NULL,
            updated_at       TEXT NOT NULL,
            UNIQUE (source, source_record_id)
        )""",
        "CREATE INDEX source_records_by_import ON source_records(import_id)",
        # Every email and phone of every record, as matching keys: deterministic rules, blocking, lookup.
        """CREATE TABLE record_keys (
            kind      TEXT NOT NULL,               -- email | phone
            key       TEXT NOT NULL,
            record_id INTEGER NOT NULL REFERENCES source_records(id) ON DELETE CASCADE,
            PRIMARY KEY (kind, key, record_id)
        ) WITHOUT ROWID""",
        "CREATE INDEX record_keys_by_record ON record_keys(record_id)",
        # Every file row that fed a record, so any row can be traced and any import undone.
        """CREATE TABLE record_rows (
            record_id  INTEGER NOT NULL REFERENCES source_records(id) ON DELETE CASCADE,
            import_id  INTEGER NOT NULL REFERENCES imports(id),
            file_name  TEXT NOT NULL,
            row_number INTEGER NOT NULL,
            PRIMARY KEY (record_id, file_name, row_number)
        ) WITHOUT ROWID""",
        "CREATE INDEX record_rows_by_import ON record_rows(import_id)",
        """CREATE TABLE record_history (
            id          INTEGER PRIMARY KEY,
            record_id   INTEGER NOT NULL REFERENCES source_records(id) ON DELETE CASCADE,
            import_id   INTEGER NOT NULL REFERENCES imports(id),  -- the import that replaced these values
            replaced_at TEXT NOT NULL,
            previous    TEXT NOT NULL           -- JSON: raw, values, file_name, row_number, last_import_id
        )""",
        "CREATE INDEX record_history_by_import ON record_history(import_id)",
        """CREATE TABLE events (
            id              INTEGER PRIMARY KEY,
            kind            TEXT NOT NULL,          -- order | payment | ticket | attendance | subscription
            source          TEXT NOT NULL,
            source_event_id TEXT NOT NULL,
            record_id       INTEGER REFERENCES source_records(id) ON DELETE CASCADE,
            import_id       INTEGER NOT NULL REFERENCES imports(id),
            last_import_id  INTEGER NOT NULL REFERENCES imports(id),
            occurred_at     TEXT,
            amount          TEXT,                   -- exact decimal as text
            currency        TEXT,
            status          TEXT,
            title           TEXT,
            data            TEXT NOT NULL,          -- JSON: normalised fields, line items
            raw             TEXT NOT NULL,          -- JSON list of the raw rows
            content_hash    TEXT NOT NULL,
            UNIQUE (source, kind, source_event_id)
        )""",
        "CREATE INDEX events_by_record ON events(record_id, occurred_at)",
        """CREATE TABLE event_rows (
            event_id   INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            import_id  INTEGER NOT NULL REFERENCES imports(id),
            file_name  TEXT NOT NULL,
            row_number INTEGER NOT NULL,
            PRIMARY KEY (event_id, file_name, row_number)
        ) WITHOUT ROWID""",
        "CREATE INDEX event_rows_by_import ON event_rows(import_id)",
        """CREATE TABLE event_history (
            id          INTEGER PRIMARY KEY,
            event_id    INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            import_id   INTEGER NOT NULL REFERENCES imports(id),
            replaced_at TEXT NOT NULL,
            previous    TEXT NOT NULL
        )""",
        # Consent is a ledger of statements with their evidence; the current status is derived.
        """CREATE TABLE consents (
            id          INTEGER PRIMARY KEY,
            record_id   INTEGER REFERENCES source_records(id) ON DELETE CASCADE,
            purpose     TEXT NOT NULL,              -- email_marketing | sms_marketing | ...
            status      TEXT NOT NULL CHECK (status IN ('granted', 'denied', 'withdrawn', 'unknown')),
            legal_basis TEXT,
            stated_at   TEXT,                       -- when the tool says it happened
            source      TEXT NOT NULL,              -- tool, or 'manual'
            import_id   INTEGER REFERENCES imports(id),
            evidence    TEXT NOT NULL DEFAULT '{}', -- JSON: tool status, opt-in time/IP, file and row
            recorded_at TEXT NOT NULL
        )""",
        # The same statement from the same tool is kept once, also when the tool gave no time.
        """CREATE UNIQUE INDEX consents_once
           ON consents(record_id, purpose, status, coalesce(stated_at, ''), source)""",
        "CREATE INDEX consents_by_import ON consents(import_id)",
        # Keyed hashes (HMAC-SHA256, per-vault secret) of erased people's identifiers. No plaintext.
        """CREATE TABLE suppression (
            hash       TEXT PRIMARY KEY,
            kind       TEXT NOT NULL,
            created_at TEXT NOT NULL,
            request_ref TEXT
        ) WITHOUT ROWID""",
        """CREATE TABLE mappings (
            signature  TEXT PRIMARY KEY,           -- hash of the header row
            preset     TEXT,
            mapping    TEXT NOT NULL,              -- JSON list: field per column
            updated_at TEXT NOT NULL
        )""",
        "INSERT INTO meta(key, value) VALUES ('suppression_key', lower(hex(randomblob(32))))",
    ],
    # Identity resolution: profiles, their members, scored pairs with evidence, and the owner's decisions.
    3: [
        """CREATE TABLE profiles (
            id               INTEGER PRIMARY KEY,
            display_name     TEXT,
            primary_email    TEXT,
            primary_phone    TEXT,
            sources          TEXT,               -- comma-separated tools
            record_count     INTEGER NOT NULL DEFAULT 0,
            order_count      INTEGER NOT NULL DEFAULT 0,
            total_spent      TEXT,               -- exact decimal as text
            last_activity_at TEXT,
            created_at       TEXT NOT NULL,
            updated_at       TEXT NOT NULL
        )""",
        """CREATE TABLE profile_members (
            record_id    INTEGER PRIMARY KEY REFERENCES source_records(id) ON DELETE CASCADE,
            profile_id   INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            matched_hash TEXT NOT NULL           -- the record's content_hash when it was last matched
        )""",
        "CREATE INDEX profile_members_by_profile ON profile_members(profile_id)",
        # Candidate pairs worth keeping (linked or for review), with the comparison levels that explain them.
        """CREATE TABLE match_pairs (
            id          INTEGER PRIMARY KEY,
            left_id     INTEGER NOT NULL REFERENCES source_records(id) ON DELETE CASCADE,
            right_id    INTEGER NOT NULL REFERENCES source_records(id) ON DELETE CASCADE,
            probability REAL NOT NULL,
            weight      REAL NOT NULL,
            levels      TEXT NOT NULL,           -- JSON: comparison -> level
            guard       TEXT,                    -- evidence that keeps the pair from merging automatically
            status      TEXT NOT NULL CHECK (status IN ('linked', 'pending', 'below', 'merged', 'rejected')),
            reason      TEXT,                    -- why a high-scoring pair still waits for review
            updated_at  TEXT NOT NULL,
            UNIQUE (left_id, right_id),
            CHECK (left_id < right_id)
        )""",
        "CREATE INDEX match_pairs_by_right ON match_pairs(right_id)",
        "CREATE INDEX match_pairs_by_status ON match_pairs(status, probability)",
        # The owner's decisions: they win over the algorithm on every later match.
        """CREATE TABLE match_decisions (
            id         INTEGER PRIMARY KEY,
            left_id    INTEGER NOT NULL REFERENCES source_records(id) ON DELETE CASCADE,
            right_id   INTEGER NOT NULL REFERENCES source_records(id) ON DELETE CASCADE,
            decision   TEXT NOT NULL CHECK (decision IN ('merge', 'reject')),
            origin     TEXT NOT NULL,            -- review | split | bulk
            decided_at TEXT NOT NULL,
            undone_at  TEXT,
            CHECK (left_id < right_id)
        )""",
        "CREATE INDEX match_decisions_by_pair ON match_decisions(left_id, right_id)",
        "CREATE INDEX match_decisions_by_right ON match_decisions(right_id)",
        # "For this field, this record's value wins" (chosen while merging, or later on the profile).
        """CREATE TABLE field_preferences (
            record_id  INTEGER NOT NULL REFERENCES source_records(id) ON DELETE CASCADE,
            field      TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            PRIMARY KEY (record_id, field)
        ) WITHOUT ROWID""",
    ],
    # Profiles and privacy: search index, the owner's rectifications, notes and tags, restrictions,
    # data-subject requests and erasure receipts. Manual data hangs on a member record (the profile's
    # anchor when it was written) so that it follows the person through later matching and is erased
    # with them by the foreign keys.
    4: [
        # Prefix-searchable terms (folded name words, emails, phone digits, tool ids, order and ticket
        # numbers) -> record. A plain table, not FTS5, so a deleted person's terms do not linger.
        """CREATE TABLE search_terms (
            term      TEXT NOT NULL,
            record_id INTEGER NOT NULL REFERENCES source_records(id) ON DELETE CASCADE,
            PRIMARY KEY (term, record_id)
        ) WITHOUT ROWID""",
        "CREATE INDEX search_terms_by_record ON search_terms(record_id)",
        # Rectification (Art. 16): a corrected value wins over every import until it is withdrawn.
        """CREATE TABLE profile_edits (
            id           INTEGER PRIMARY KEY,
            record_id    INTEGER NOT NULL REFERENCES source_records(id) ON DELETE CASCADE,
            field        TEXT NOT NULL,
            value        TEXT NOT NULL,
            reason       TEXT NOT NULL,
            edited_at    TEXT NOT NULL,
            withdrawn_at TEXT
        )""",
        "CREATE INDEX profile_edits_by_record ON profile_edits(record_id)",
        """CREATE TABLE profile_notes (
            id         INTEGER PRIMARY KEY,
            record_id  INTEGER NOT NULL REFERENCES source_records(id) ON DELETE CASCADE,
            kind       TEXT NOT NULL CHECK (kind IN ('note', 'tag')),
            text       TEXT NOT NULL,
            reason     TEXT,
            created_at TEXT NOT NULL,
            removed_at TEXT
        )""",
        "CREATE INDEX profile_notes_by_record ON profile_notes(record_id)",
        # Restriction of processing (Art. 18) and objection to marketing (Art. 21).
        """CREATE TABLE restrictions (
            id         INTEGER PRIMARY KEY,
            record_id  INTEGER NOT NULL REFERENCES source_records(id) ON DELETE CASCADE,
            kind       TEXT NOT NULL CHECK (kind IN ('restrict', 'object')),
            reason     TEXT,
            request_id INTEGER REFERENCES privacy_requests(id),
            created_at TEXT NOT NULL,
            lifted_at  TEXT
        )""",
        "CREATE INDEX restrictions_by_record ON restrictions(record_id)",
        # Data-subject requests. No personal data: a reference, dates, status, profile ids, actions.
        """CREATE TABLE privacy_requests (
            id           INTEGER PRIMARY KEY,
            kind         TEXT NOT NULL CHECK (kind IN ('access', 'rectification', 'erasure', 'restriction',
                                                       'objection', 'portability')),
            reference    TEXT NOT NULL,
            received_at  TEXT NOT NULL,
            due_at       TEXT NOT NULL,
            extension    TEXT,                   -- the reason the deadline was extended
            status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'refused')),
            profile_ids  TEXT NOT NULL DEFAULT '[]',
            closed_at    TEXT
        )""",
        """CREATE TABLE request_actions (
            id         INTEGER PRIMARY KEY,
            request_id INTEGER NOT NULL REFERENCES privacy_requests(id) ON DELETE CASCADE,
            at         TEXT NOT NULL,
            action     TEXT NOT NULL,
            details    TEXT NOT NULL DEFAULT '{}'
        )""",
        # Erasure receipts: counts per kind, when, under which reference. No personal data.
        """CREATE TABLE erasures (
            id          INTEGER PRIMARY KEY,
            erased_at   TEXT NOT NULL,
            reference   TEXT,
            request_id  INTEGER REFERENCES privacy_requests(id),
            counts      TEXT NOT NULL,
            kept        TEXT NOT NULL DEFAULT '{}'  -- what the law made the shop keep, anonymised
        )""",
        # Cached per-profile figures the customer list filters and sorts on.
        "ALTER TABLE profiles ADD COLUMN open_tickets INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE profiles ADD COLUMN ticket_count INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE profiles ADD COLUMN consent_email TEXT",
        "ALTER TABLE profiles ADD COLUMN consent_sms TEXT",
        "ALTER TABLE profiles ADD COLUMN tags TEXT",
        "ALTER TABLE profiles ADD COLUMN restricted INTEGER NOT NULL DEFAULT 0",
        "CREATE INDEX profiles_by_name ON profiles(coalesce(display_name, ''), id)",
        "CREATE INDEX profiles_by_spent ON profiles(CAST(coalesce(total_spent, 0) AS REAL), id)",
        "CREATE INDEX profiles_by_orders ON profiles(order_count, id)",
        "CREATE INDEX profiles_by_activity ON profiles(coalesce(last_activity_at, ''), id)",
        "CREATE INDEX events_by_kind ON events(kind, occurred_at)",
        "CREATE INDEX consents_by_record ON consents(record_id, purpose)",
        "CREATE INDEX match_decisions_by_left ON match_decisions(left_id)",
        "CREATE INDEX record_history_by_record ON record_history(record_id)",
        "CREATE INDEX event_history_by_event ON event_history(event_id)",
    ],
    # The customer list sorts by open tickets too.
    5: [
        "CREATE INDEX profiles_by_tickets ON profiles(open_tickets, id)",
    ],
    # Covering indexes: the columns matching and the profile summaries read, without the raw and normalised
    # JSON that make a record ~1.5 KB (an event or a consent statement several hundred bytes): scanning them
    # reads a fraction of the pages the tables take (see SUMMARY_INDEX).
    6: [
        "CREATE INDEX source_records_summary ON source_records(id, source, first_name, last_name, postal_code,"
        " city, address_key, birth_date, company, content_hash, display_name, email, phone, updated_at)",
        "DROP INDEX events_by_record",
        "CREATE INDEX events_by_record ON events(record_id, occurred_at, kind, amount, status)",
        "DROP INDEX consents_by_record",
        "CREATE INDEX consents_by_record ON consents(record_id, purpose, status, stated_at, source, recorded_at)",
    ],
    # The list shows what a customer spent with its currency (filled as profiles are next refreshed).
    7: [
        "ALTER TABLE profiles ADD COLUMN spent_currency TEXT",
    ],
    # "Not the same person" on one pair keeps the two profiles apart: the other pairs between them are decided
    # with it (follow-ons, undone with it).
    8: [
        "ALTER TABLE match_decisions ADD COLUMN with_decision INTEGER REFERENCES match_decisions(id)",
        "CREATE INDEX match_decisions_with ON match_decisions(with_decision)",
    ],
    # What the owner was typing into a note, tag, correction or consent statement when the vault locked: kept
    # (encrypted, like everything here) until the next unlock reopens it, and erased with the person.
    9: [
        """CREATE TABLE unsaved_edits (
            record_id INTEGER PRIMARY KEY REFERENCES source_records(id) ON DELETE CASCADE,
            kind      TEXT NOT NULL,            -- note | tag | correction | consent:<purpose>
            fields    TEXT NOT NULL,            -- JSON: input -> what was typed or chosen
            kept_at   TEXT NOT NULL
        )""",
    ],
}
# For a join on ``source_records.id`` SQLite picks the table itself (an integer-key lookup) over this covering
# index, so queries that read only these columns name it.
SUMMARY_INDEX = "INDEXED BY source_records_summary"


def latest_version(migrations: dict[int, list[str]] | None = None) -> int:
    return max((migrations or MIGRATIONS).keys())
