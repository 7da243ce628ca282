/* vw-vault-schema.c: the vault's tables and their ordered migrations.
 *
 * PRAGMA user_version is the schema version. A migration is appended to
 * the list below and never edited once released: a vault made by any
 * earlier build must open in every later one (tests/data/vault-v1.vault
 * holds a vault of schema 1 and tests/data/vault-v5.vault one of schema
 * 5 to prove it). A migration is SQL, a C function, or both (the SQL
 * first); all the migrations a vault needs run in one transaction, and a
 * new vault is made by running them all on an empty database, so a C step
 * must also do the right thing when there is nothing to migrate.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "vw-vault-private.h"

/* Schema 1: every table of the first release. Only structural
 * identifiers are in clear; every BLOB column but the keys' public halves,
 * hashes and MACs is an encrypted value (see vw-vault-crypto.c). */
static const char schema_1[] =
  "CREATE TABLE meta ("
  "  key TEXT PRIMARY KEY,"
  "  value BLOB NOT NULL"
  ") WITHOUT ROWID;"

  "CREATE TABLE questionnaires ("
  "  id TEXT NOT NULL,"
  "  version TEXT NOT NULL,"
  "  sha256 TEXT NOT NULL,"
  "  json TEXT NOT NULL,"
  "  added TEXT NOT NULL,"
  "  PRIMARY KEY (id, version)"
  ");"

  "CREATE TABLE studies ("
  "  id TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  regions TEXT NOT NULL,"
  "  role TEXT NOT NULL CHECK (role IN ('duo', 'coordinator')),"
  "  questionnaire_id TEXT,"
  "  questionnaire_version TEXT,"
  "  questionnaire_sha256 TEXT,"
  "  linkage_key BLOB NOT NULL,"
  "  export_key BLOB NOT NULL,"
  "  created TEXT NOT NULL,"
  "  FOREIGN KEY (questionnaire_id, questionnaire_version) REFERENCES questionnaires (id, version)"
  ");"

  "CREATE TABLE rounds ("
  "  study TEXT NOT NULL REFERENCES studies (id),"
  "  label TEXT NOT NULL,"
  "  position INTEGER NOT NULL,"
  "  fieldwork_start TEXT,"
  "  fieldwork_end TEXT,"
  "  wrapped_key BLOB,"
  "  created TEXT NOT NULL,"
  "  destroyed_at TEXT,"
  "  PRIMARY KEY (study, label),"
  "  UNIQUE (study, position)"
  ");"

  "CREATE TABLE interviewers ("
  "  id TEXT PRIMARY KEY,"
  "  name BLOB NOT NULL,"
  "  role TEXT NOT NULL CHECK (role IN ('researcher', 'peer_researcher')),"
  "  training_date TEXT,"
  "  active INTEGER NOT NULL DEFAULT 1,"
  "  created TEXT NOT NULL,"
  "  updated TEXT NOT NULL,"
  "  revision INTEGER NOT NULL"
  ");"

  "CREATE TABLE participants ("
  "  study TEXT NOT NULL REFERENCES studies (id),"
  "  code TEXT NOT NULL,"
  "  pseudonym BLOB NOT NULL,"
  "  pseudonym_index BLOB NOT NULL,"
  "  region TEXT NOT NULL,"
  "  linkage_hash BLOB,"
  "  created TEXT NOT NULL,"
  "  updated TEXT NOT NULL,"
  "  revision INTEGER NOT NULL,"
  "  PRIMARY KEY (study, code),"
  "  UNIQUE (study, pseudonym_index)"
  ");"

  "CREATE TABLE participant_values ("
  "  study TEXT NOT NULL,"
  "  code TEXT NOT NULL,"
  "  variable TEXT NOT NULL,"
  "  value BLOB NOT NULL,"
  "  revision INTEGER NOT NULL,"
  "  updated TEXT NOT NULL,"
  "  device TEXT,"
  "  PRIMARY KEY (study, code, variable),"
  "  FOREIGN KEY (study, code) REFERENCES participants (study, code) ON DELETE CASCADE"
  ");"

  "CREATE TABLE contacts ("
  "  study TEXT NOT NULL,"
  "  code TEXT NOT NULL,"
  "  details BLOB NOT NULL,"
  "  revision INTEGER NOT NULL,"
  "  updated TEXT NOT NULL,"
  "  PRIMARY KEY (study, code),"
  "  FOREIGN KEY (study, code) REFERENCES participants (study, code) ON DELETE CASCADE"
  ");"

  "CREATE TABLE interviews ("
  "  id TEXT PRIMARY KEY,"
  "  study TEXT NOT NULL,"
  "  code TEXT NOT NULL,"
  "  round TEXT NOT NULL,"
  "  questionnaire_id TEXT,"
  "  questionnaire_version TEXT,"
  "  questionnaire_sha256 TEXT,"
  "  interviewer1 TEXT REFERENCES interviewers (id),"
  "  interviewer2 TEXT REFERENCES interviewers (id),"
  "  status BLOB,"
  "  date BLOB,"
  "  nonresponse_reason BLOB,"
  "  state TEXT NOT NULL CHECK (state IN ('in_progress', 'paused', 'finished')),"
  "  resume_module TEXT,"
  "  resume_question TEXT,"
  "  created TEXT NOT NULL,"
  "  updated TEXT NOT NULL,"
  "  revision INTEGER NOT NULL,"
  "  UNIQUE (study, code, round),"
  "  FOREIGN KEY (study, code) REFERENCES participants (study, code) ON DELETE CASCADE,"
  "  FOREIGN KEY (study, round) REFERENCES rounds (study, label),"
  "  FOREIGN KEY (questionnaire_id, questionnaire_version) REFERENCES questionnaires (id, version)"
  ");"

  "CREATE TABLE answers ("
  "  interview TEXT NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,"
  "  question TEXT NOT NULL,"
  "  value BLOB NOT NULL,"
  "  revision INTEGER NOT NULL,"
  "  updated TEXT NOT NULL,"
  "  device TEXT,"
  "  PRIMARY KEY (interview, question)"
  ") WITHOUT ROWID;"

  /* question is '' for the general note of an interview, so that the
   * primary key holds for it too (NULLs never collide in sqlite). */
  "CREATE TABLE notes ("
  "  interview TEXT NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,"
  "  question TEXT NOT NULL,"
  "  text BLOB NOT NULL,"
  "  revision INTEGER NOT NULL,"
  "  updated TEXT NOT NULL,"
  "  PRIMARY KEY (interview, question)"
  ") WITHOUT ROWID;"

  "CREATE TABLE quotes ("
  "  id TEXT PRIMARY KEY,"
  "  study TEXT NOT NULL,"
  "  code TEXT NOT NULL,"
  "  round TEXT NOT NULL,"
  "  question TEXT,"
  "  theme TEXT,"
  "  text BLOB NOT NULL,"
  "  created TEXT NOT NULL,"
  "  updated TEXT NOT NULL,"
  "  revision INTEGER NOT NULL,"
  "  FOREIGN KEY (study, code) REFERENCES participants (study, code) ON DELETE CASCADE,"
  "  FOREIGN KEY (study, round) REFERENCES rounds (study, label)"
  ");"

  "CREATE TABLE episodes ("
  "  id TEXT PRIMARY KEY,"
  "  study TEXT NOT NULL,"
  "  code TEXT NOT NULL,"
  "  data BLOB NOT NULL,"
  "  interview TEXT REFERENCES interviews (id) ON DELETE SET NULL,"
  "  revision INTEGER NOT NULL,"
  "  updated TEXT NOT NULL,"
  "  FOREIGN KEY (study, code) REFERENCES participants (study, code) ON DELETE CASCADE"
  ");"

  "CREATE TABLE consents ("
  "  study TEXT NOT NULL,"
  "  code TEXT NOT NULL,"
  "  round TEXT NOT NULL,"
  "  purpose TEXT NOT NULL CHECK (purpose IN ('research', 'wmo_linkage')),"
  "  value BLOB NOT NULL,"
  "  date BLOB,"
  "  revision INTEGER NOT NULL,"
  "  updated TEXT NOT NULL,"
  "  PRIMARY KEY (study, code, round, purpose),"
  "  FOREIGN KEY (study, code) REFERENCES participants (study, code) ON DELETE CASCADE,"
  "  FOREIGN KEY (study, round) REFERENCES rounds (study, label)"
  ");"

  "CREATE TABLE devices ("
  "  id TEXT PRIMARY KEY,"
  "  study TEXT REFERENCES studies (id),"
  "  label BLOB NOT NULL,"
  "  x25519_public BLOB NOT NULL,"
  "  ed25519_public BLOB NOT NULL,"
  "  trusted INTEGER NOT NULL,"
  "  own INTEGER NOT NULL DEFAULT 0,"
  "  secrets BLOB,"
  "  created TEXT NOT NULL,"
  "  revoked_at TEXT,"
  "  revision INTEGER NOT NULL"
  ");"

  "CREATE TABLE audit ("
  "  seq INTEGER PRIMARY KEY,"
  "  ts TEXT NOT NULL,"
  "  actor TEXT NOT NULL,"
  "  action TEXT NOT NULL,"
  "  object TEXT,"
  "  detail BLOB,"
  "  prev_mac BLOB NOT NULL,"
  "  mac BLOB NOT NULL"
  ");";

/* Schema 2: indexes for the per-participant and per-round lists the
 * interview screen and the exports ask for, and triggers that make the
 * audit trail append-only for anything that goes through sqlite (the MAC
 * chain catches what goes around it). */
static const char schema_2[] =
  "CREATE INDEX interviews_by_round ON interviews (study, round);"
  "CREATE INDEX quotes_by_participant ON quotes (study, code, round);"
  "CREATE INDEX episodes_by_participant ON episodes (study, code);"
  "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
  "  BEGIN SELECT RAISE (ABORT, 'the audit trail is append-only'); END;"
  "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
  "  BEGIN SELECT RAISE (ABORT, 'the audit trail is append-only'); END;";

/* Schema 3 (recvault): a coordinator's override of a participant's
 * trajectory type under one rule set. The type, subtype and reason are
 * one encrypted value (JSON), bound to the row. */
static const char schema_3[] =
  "CREATE TABLE trajectory_overrides ("
  "  study TEXT NOT NULL,"
  "  code TEXT NOT NULL,"
  "  rules TEXT NOT NULL CHECK (rules IN ('dh3', 'fl4')),"
  "  data BLOB NOT NULL,"
  "  revision INTEGER NOT NULL,"
  "  updated TEXT NOT NULL,"
  "  PRIMARY KEY (study, code, rules),"
  "  FOREIGN KEY (study, code) REFERENCES participants (study, code) ON DELETE CASCADE"
  ");";

/* Schema 4 (exchange): what studies without a server need.
 * study_recipients: the coordinator's age recipients submissions go to.
 * merged_bundles: every bundle applied, so that a replay changes nothing.
 * conflicts: both sides of a value changed on two laptops, sealed like the
 * value itself, until the coordinator resolves them.
 * exchange_log: audit entries received in submissions, kept apart from
 * this vault's own MAC chain. */
static const char schema_4[] =
  "CREATE TABLE study_recipients ("
  "  study TEXT NOT NULL REFERENCES studies (id),"
  "  recipient TEXT NOT NULL,"
  "  PRIMARY KEY (study, recipient)"
  ") WITHOUT ROWID;"

  "CREATE TABLE merged_bundles ("
  "  id TEXT PRIMARY KEY,"
  "  study TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  signer TEXT NOT NULL,"
  "  created TEXT NOT NULL,"
  "  merged TEXT NOT NULL"
  ") WITHOUT ROWID;"

  "CREATE TABLE conflicts ("
  "  study TEXT NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind IN ('answer', 'participant_value')),"
  "  object TEXT NOT NULL,"
  "  field TEXT NOT NULL,"
  "  device TEXT NOT NULL,"
  "  revision INTEGER NOT NULL,"
  "  value BLOB NOT NULL,"
  "  updated TEXT NOT NULL,"
  "  resolved TEXT,"
  "  PRIMARY KEY (study, kind, object, field, device, revision)"
  ") WITHOUT ROWID;"

  "CREATE TABLE exchange_log ("
  "  study TEXT NOT NULL,"
  "  device TEXT NOT NULL,"
  "  seq INTEGER NOT NULL,"
  "  ts TEXT NOT NULL,"
  "  actor TEXT NOT NULL,"
  "  action TEXT NOT NULL,"
  "  object TEXT,"
  "  detail BLOB,"
  "  PRIMARY KEY (study, device, seq)"
  ") WITHOUT ROWID;"

  "CREATE TABLE exchange_state ("
  "  study TEXT PRIMARY KEY,"
  "  last_submission TEXT"
  ") WITHOUT ROWID;";

/* Schema 5 (coordviews): the coordinator's decisions on possible duplicates. A group
 * is the codes sharing a linkage hash when it was decided; a later code
 * with the same hash opens it again. The decision ("apart", or "join"
 * and the code kept) is an encrypted value bound to study and hash. */
static const char schema_5[] =
  "CREATE TABLE duplicate_decisions ("
  "  study TEXT NOT NULL,"
  "  linkage_hash BLOB NOT NULL,"
  "  codes TEXT NOT NULL,"
  "  decision BLOB NOT NULL,"
  "  device TEXT NOT NULL,"
  "  decided TEXT NOT NULL,"
  "  PRIMARY KEY (study, linkage_hash)"
  ") WITHOUT ROWID;"

  /* Which signer sent rows as which device id (the `S` row): device ids
   * are each laptop's own, labels are the receiver's. */
  "CREATE TABLE exchange_devices ("
  "  device TEXT PRIMARY KEY,"
  "  signer TEXT NOT NULL"
  ") WITHOUT ROWID;";

/* Schema 6 (exchange trust): rows bound to the laptop that
 * signed them, and a change sequence instead of the clock.
 * - Every row that travels in bundles gets `device`, its author: an id of
 *   this laptop's `devices` (the signer of the bundle it came in, or this
 *   laptop), and `seq`, set from `change_sequence` by triggers on every
 *   insert and update, so that no write can forget it. A submission sends
 *   the rows whose seq is above `exchange_state.last_seq`.
 * - Authors schema 5 stored were the ids senders declared for themselves;
 *   where `exchange_devices` names the signer behind one, it becomes this
 *   laptop's id of that signer's device. Records had no author: each gets
 *   the author most of its cells have (answers, values), else its
 *   participant's or interview's.
 * - Existing rows get seq = revision (capped at 2^52), plus M (above every
 *   revision) when they changed after the study's last submission, so
 *   that a later version's seq is above what the receiver holds and the
 *   next submission sends exactly what the clock rule would have sent.
 * - `conflicts` is rebuilt to hold record kinds too; `round` names the
 *   round whose key seals a side, `sealed_device` the device id bound into
 *   a side's associated data (a side's `device` may have been mapped).
 * - `agreements`: devices whose latest version of a record equals what the
 *   record holds, so that a later difference is a conflict whatever order
 *   bundles arrive in. */
/* Every insert and every update of a row that travels takes the next
 * value of the sequence. A write that sets seq itself took it from
 * vw_vault_next_seq() (the bulk paths: import, merge), or is the
 * trigger's own. */
#define SEQ_TRIGGERS(table, where) \
  "CREATE TRIGGER " table "_seq_insert AFTER INSERT ON " table " WHEN NEW.seq = 0 BEGIN" \
  "  UPDATE change_sequence SET value = value + 1 WHERE id = 1;" \
  "  UPDATE " table " SET seq = (SELECT value FROM change_sequence WHERE id = 1) WHERE " where ";" \
  "END;" \
  "CREATE TRIGGER " table "_seq_update AFTER UPDATE ON " table " WHEN NEW.seq = OLD.seq BEGIN" \
  "  UPDATE change_sequence SET value = value + 1 WHERE id = 1;" \
  "  UPDATE " table " SET seq = (SELECT value FROM change_sequence WHERE id = 1) WHERE " where ";" \
  "END;"

static const char schema_6[] =
  "CREATE TABLE change_sequence ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  value INTEGER NOT NULL"
  ");"

  "ALTER TABLE participants ADD COLUMN device TEXT;"
  "ALTER TABLE participants ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE participant_values ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE interviews ADD COLUMN device TEXT;"
  "ALTER TABLE interviews ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE answers ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE notes ADD COLUMN device TEXT;"
  "ALTER TABLE notes ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE quotes ADD COLUMN device TEXT;"
  "ALTER TABLE quotes ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE episodes ADD COLUMN device TEXT;"
  "ALTER TABLE episodes ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE consents ADD COLUMN device TEXT;"
  "ALTER TABLE consents ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE exchange_state ADD COLUMN last_seq INTEGER;"
  "ALTER TABLE exchange_state ADD COLUMN last_audit INTEGER;"

  /* Declared ids -> this laptop's id of the signer's device (the first
   * enrolled with that key). */
  "CREATE TEMP TABLE v6_device_map AS"
  "  SELECT x.device AS declared,"
  "    (SELECT d.id FROM devices d WHERE lower (hex (d.ed25519_public)) = x.signer"
  "     ORDER BY d.created, d.id LIMIT 1) AS local"
  "  FROM exchange_devices x WHERE x.device NOT IN (SELECT id FROM devices);"
  "DELETE FROM v6_device_map WHERE local IS NULL;"
  "UPDATE answers SET device = (SELECT local FROM v6_device_map WHERE declared = answers.device)"
  "  WHERE device IN (SELECT declared FROM v6_device_map);"
  "UPDATE participant_values SET device = (SELECT local FROM v6_device_map WHERE declared = participant_values.device)"
  "  WHERE device IN (SELECT declared FROM v6_device_map);"

  "UPDATE interviews SET device = (SELECT a.device FROM answers a WHERE a.interview = interviews.id AND"
  "  a.device IS NOT NULL GROUP BY a.device ORDER BY count (*) DESC, a.device LIMIT 1);"
  "UPDATE participants SET device = coalesce ("
  "  (SELECT v.device FROM participant_values v WHERE v.study = participants.study AND v.code = participants.code"
  "   AND v.device IS NOT NULL GROUP BY v.device ORDER BY count (*) DESC, v.device LIMIT 1),"
  "  (SELECT i.device FROM interviews i WHERE i.study = participants.study AND i.code = participants.code"
  "   AND i.device IS NOT NULL GROUP BY i.device ORDER BY count (*) DESC, i.device LIMIT 1));"
  "UPDATE interviews SET device = (SELECT p.device FROM participants p WHERE p.study = interviews.study AND"
  "  p.code = interviews.code) WHERE device IS NULL;"
  "UPDATE notes SET device = (SELECT i.device FROM interviews i WHERE i.id = notes.interview);"
  "UPDATE quotes SET device = coalesce ("
  "  (SELECT i.device FROM interviews i WHERE i.study = quotes.study AND i.code = quotes.code AND"
  "   i.round = quotes.round),"
  "  (SELECT p.device FROM participants p WHERE p.study = quotes.study AND p.code = quotes.code));"
  "UPDATE episodes SET device = coalesce ("
  "  (SELECT i.device FROM interviews i WHERE i.id = episodes.interview),"
  "  (SELECT p.device FROM participants p WHERE p.study = episodes.study AND p.code = episodes.code));"
  "UPDATE consents SET device = coalesce ("
  "  (SELECT i.device FROM interviews i WHERE i.study = consents.study AND i.code = consents.code AND"
  "   i.round = consents.round),"
  "  (SELECT p.device FROM participants p WHERE p.study = consents.study AND p.code = consents.code));"

  /* M: above every (capped) revision. A row changed since the study's
   * last submission, or in a study never submitted, gets M on top. */
  "CREATE TEMP TABLE v6_m AS SELECT 1 + max ("
  "  coalesce ((SELECT max (min (revision, 4503599627370496)) FROM participants), 0),"
  "  coalesce ((SELECT max (min (revision, 4503599627370496)) FROM participant_values), 0),"
  "  coalesce ((SELECT max (min (revision, 4503599627370496)) FROM interviews), 0),"
  "  coalesce ((SELECT max (min (revision, 4503599627370496)) FROM answers), 0),"
  "  coalesce ((SELECT max (min (revision, 4503599627370496)) FROM notes), 0),"
  "  coalesce ((SELECT max (min (revision, 4503599627370496)) FROM quotes), 0),"
  "  coalesce ((SELECT max (min (revision, 4503599627370496)) FROM episodes), 0),"
  "  coalesce ((SELECT max (min (revision, 4503599627370496)) FROM consents), 0)) AS m;"
  "CREATE TEMP TABLE v6_sent AS SELECT study, last_submission FROM exchange_state"
  "  WHERE last_submission IS NOT NULL;"
  "UPDATE participants SET seq = min (revision, 4503599627370496) + CASE WHEN EXISTS (SELECT 1 FROM v6_sent s"
  "  WHERE s.study = participants.study AND participants.updated < s.last_submission) THEN 0"
  "  ELSE (SELECT m FROM v6_m) END;"
  "UPDATE participant_values SET seq = min (revision, 4503599627370496) + CASE WHEN EXISTS (SELECT 1 FROM v6_sent s"
  "  WHERE s.study = participant_values.study AND participant_values.updated < s.last_submission) THEN 0"
  "  ELSE (SELECT m FROM v6_m) END;"
  "UPDATE interviews SET seq = min (revision, 4503599627370496) + CASE WHEN EXISTS (SELECT 1 FROM v6_sent s"
  "  WHERE s.study = interviews.study AND interviews.updated < s.last_submission) THEN 0"
  "  ELSE (SELECT m FROM v6_m) END;"
  "UPDATE answers SET seq = min (revision, 4503599627370496) + CASE WHEN EXISTS (SELECT 1 FROM v6_sent s"
  "  JOIN interviews i ON i.study = s.study WHERE i.id = answers.interview AND answers.updated < s.last_submission)"
  "  THEN 0 ELSE (SELECT m FROM v6_m) END;"
  "UPDATE notes SET seq = min (revision, 4503599627370496) + CASE WHEN EXISTS (SELECT 1 FROM v6_sent s"
  "  JOIN interviews i ON i.study = s.study WHERE i.id = notes.interview AND notes.updated < s.last_submission)"
  "  THEN 0 ELSE (SELECT m FROM v6_m) END;"
  "UPDATE quotes SET seq = min (revision, 4503599627370496) + CASE WHEN EXISTS (SELECT 1 FROM v6_sent s"
  "  WHERE s.study = quotes.study AND quotes.updated < s.last_submission) THEN 0"
  "  ELSE (SELECT m FROM v6_m) END;"
  "UPDATE episodes SET seq = min (revision, 4503599627370496) + CASE WHEN EXISTS (SELECT 1 FROM v6_sent s"
  "  WHERE s.study = episodes.study AND episodes.updated < s.last_submission) THEN 0"
  "  ELSE (SELECT m FROM v6_m) END;"
  "UPDATE consents SET seq = min (revision, 4503599627370496) + CASE WHEN EXISTS (SELECT 1 FROM v6_sent s"
  "  WHERE s.study = consents.study AND consents.updated < s.last_submission) THEN 0"
  "  ELSE (SELECT m FROM v6_m) END;"
  "INSERT INTO change_sequence (id, value) VALUES (1, 2 * (SELECT m FROM v6_m));"
  "UPDATE exchange_state SET last_seq = (SELECT m FROM v6_m),"
  "  last_audit = coalesce ((SELECT max (seq) FROM audit WHERE ts < exchange_state.last_submission), 0)"
  "  WHERE last_submission IS NOT NULL;"

  "CREATE TABLE conflicts_v6 ("
  "  study TEXT NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind IN ('answer', 'participant_value', 'note', 'participant', 'interview',"
  "    'quote', 'episode', 'consent')),"
  "  object TEXT NOT NULL,"
  "  field TEXT NOT NULL,"
  "  device TEXT NOT NULL,"
  "  revision INTEGER NOT NULL,"
  "  value BLOB NOT NULL,"
  "  updated TEXT NOT NULL,"
  "  resolved TEXT,"
  "  round TEXT,"
  "  sealed_device TEXT NOT NULL,"
  "  PRIMARY KEY (study, kind, object, field, device, revision)"
  ") WITHOUT ROWID;"
  "INSERT OR IGNORE INTO conflicts_v6 (study, kind, object, field, device, revision, value, updated, resolved,"
  "  round, sealed_device)"
  "  SELECT c.study, c.kind, c.object, c.field,"
  "    coalesce ((SELECT local FROM v6_device_map WHERE declared = c.device), c.device),"
  "    c.revision, c.value, c.updated, c.resolved,"
  "    CASE c.kind WHEN 'answer' THEN (SELECT i.round FROM interviews i WHERE i.id = c.object) END, c.device"
  "  FROM conflicts c;"
  "DROP TABLE conflicts;"
  "ALTER TABLE conflicts_v6 RENAME TO conflicts;"

  "CREATE TABLE agreements ("
  "  study TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  object TEXT NOT NULL,"
  "  field TEXT NOT NULL,"
  "  device TEXT NOT NULL,"
  "  revision INTEGER NOT NULL,"
  "  updated TEXT NOT NULL,"
  "  PRIMARY KEY (study, kind, object, field, device)"
  ") WITHOUT ROWID;"

  "DROP TABLE v6_device_map;"
  "DROP TABLE v6_m;"
  "DROP TABLE v6_sent;"

  SEQ_TRIGGERS ("participants", "rowid = NEW.rowid")
  SEQ_TRIGGERS ("participant_values", "rowid = NEW.rowid")
  SEQ_TRIGGERS ("interviews", "rowid = NEW.rowid")
  SEQ_TRIGGERS ("answers", "interview = NEW.interview AND question = NEW.question")
  SEQ_TRIGGERS ("notes", "interview = NEW.interview AND question = NEW.question")
  SEQ_TRIGGERS ("quotes", "rowid = NEW.rowid")
  SEQ_TRIGGERS ("episodes", "rowid = NEW.rowid")
  SEQ_TRIGGERS ("consents", "rowid = NEW.rowid");
#undef SEQ_TRIGGERS
/* Schema 7 (handover receipts): a handover with removal keeps
 * its participants here until the receiving laptop's signed receipt is
 * merged (vw-exchange-receipt.c).
 * - handovers: every handover this laptop wrote and read back: the
 *   receiving device (an id of `devices`), the SHA-256 of the content
 *   (what a receipt must name), whether the participants leave on receipt,
 *   and how it ended: `received` (with the receipt's bundle id) or
 *   `cancelled`, at `settled`; both NULL while it is open.
 * - handover_codes: the participants it holds. Codes are clear elsewhere
 *   too (participants.code); no value about a person is stored here.
 * - awaiting_receipt: the participants of open handovers with removal,
 *   which are read-only. The triggers that make them so, for every writer,
 *   exist only while one awaits (vw-exchange-receipt.c creates and drops
 *   them with the handovers), so that a vault without one, every
 *   coordinator's, pays nothing for them on a merge of a million rows.
 * - received_handovers: handovers this laptop merged, so that it can write
 *   (and write again) the receipt its sender waits for. */
static const char schema_7[] =
  "CREATE TABLE handovers ("
  "  id TEXT PRIMARY KEY,"
  "  study TEXT NOT NULL REFERENCES studies (id),"
  "  device TEXT NOT NULL,"
  "  content_sha256 TEXT NOT NULL,"
  "  written TEXT NOT NULL,"
  "  remove_on_receipt INTEGER NOT NULL CHECK (remove_on_receipt IN (0, 1)),"
  "  outcome TEXT CHECK (outcome IN ('received', 'cancelled')),"
  "  settled TEXT,"
  "  receipt TEXT,"
  "  CHECK ((outcome IS NULL) = (settled IS NULL)),"
  "  CHECK ((receipt IS NULL) = (outcome IS NOT 'received'))"
  ") WITHOUT ROWID;"

  "CREATE TABLE handover_codes ("
  "  handover TEXT NOT NULL REFERENCES handovers (id),"
  "  study TEXT NOT NULL,"
  "  code TEXT NOT NULL,"
  "  PRIMARY KEY (handover, code)"
  ") WITHOUT ROWID;"
  "CREATE INDEX handover_codes_by_participant ON handover_codes (study, code);"

  "CREATE VIEW awaiting_receipt AS"
  "  SELECT c.study AS study, c.code AS code, h.id AS handover, h.device AS device, h.written AS written"
  "  FROM handover_codes c JOIN handovers h ON h.id = c.handover"
  "  WHERE h.remove_on_receipt = 1 AND h.outcome IS NULL;"

  "CREATE TABLE received_handovers ("
  "  id TEXT PRIMARY KEY,"
  "  study TEXT NOT NULL,"
  "  signer TEXT NOT NULL,"
  "  content_sha256 TEXT NOT NULL,"
  "  codes TEXT NOT NULL,"
  "  merged TEXT NOT NULL"
  ") WITHOUT ROWID;";

/* Schema 8 (vault at rest): every value is re-sealed padded
 * (vw-vault-reseal.c), and every row gets a MAC kept beside it
 * (vw-vault-integrity.c, which holds this step's SQL). */

/* Schema 9 (error-tolerant linkage): beside the exact linkage
 * hash, a participant's keyed Bloom-filter encoding of name and birth
 * date (vw-linkage.c), VW_LINKAGE_FILTER_BYTES bytes or NULL. The row MAC
 * of participants covers it (a new column of a listed table is covered
 * without more code). */
static const char schema_9[] =
  "ALTER TABLE participants ADD COLUMN linkage_filter BLOB;";
/* Schema 10 (joins that take effect): a coordinator's join of
 * two codes of one person makes the joined code an alias of the kept one
 * (vw-vault-aliases.c); every reader of records resolves codes through
 * it. Both participants keep their own rows, so that a split restores
 * them as they were.
 * - participant_aliases: the joined code (alias), the code it stands for
 *   (kept; never itself an alias), the reason (sealed with the
 *   participant subkey), the device that joined and when.
 * - join_conflicts: the conflicts a join opened (cells of the kept code
 *   whose value differed under the joined code), so that a split closes
 *   exactly those that are still open. */
static const char schema_10[] =
  "CREATE TABLE participant_aliases ("
  "  study TEXT NOT NULL REFERENCES studies (id),"
  "  alias TEXT NOT NULL,"
  "  kept TEXT NOT NULL,"
  "  reason BLOB NOT NULL,"
  "  device TEXT NOT NULL,"
  "  joined TEXT NOT NULL,"
  "  PRIMARY KEY (study, alias),"
  "  CHECK (alias <> kept)"
  ") WITHOUT ROWID;"
  "CREATE INDEX participant_aliases_by_kept ON participant_aliases (study, kept);"

  "CREATE TABLE join_conflicts ("
  "  study TEXT NOT NULL,"
  "  alias TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  object TEXT NOT NULL,"
  "  field TEXT NOT NULL,"
  "  PRIMARY KEY (study, alias, kind, object, field)"
  ") WITHOUT ROWID;";

/* Schema 11 (tracing between rounds; vw-vault-tracing.c): on
 * the duo's laptop, per participant, locator details (other ways to reach
 * the person), and per round the contact attempts and appointments. Every
 * value about the person (kind and text of a locator; date, way, outcome,
 * note and place of an attempt; date, time, place and note of an
 * appointment) is one value sealed under the contact subkey, like the
 * contact details; only ids, code and round are in clear.
 * - attempt_tallies: per participant and round, the change sequence of
 *   the last change to its attempts: what makes a submission send the
 *   round's summary (row T) again.
 * - attempt_summaries: on the coordinator's laptop, the summaries merged
 *   from submissions, one per sending device: the count in clear, the
 *   outcome codes sealed.
 * - tracing_settings: the study's minimum number of attempts before a
 *   round may be set to unreachable without a reason (absent: 3). */
static const char schema_11[] =
  "CREATE TABLE locators ("
  "  id TEXT PRIMARY KEY,"
  "  study TEXT NOT NULL,"
  "  code TEXT NOT NULL,"
  "  details BLOB NOT NULL,"
  "  revision INTEGER NOT NULL,"
  "  created TEXT NOT NULL,"
  "  updated TEXT NOT NULL,"
  "  FOREIGN KEY (study, code) REFERENCES participants (study, code) ON DELETE CASCADE"
  ");"
  "CREATE INDEX locators_by_participant ON locators (study, code);"

  "CREATE TABLE contact_attempts ("
  "  id TEXT PRIMARY KEY,"
  "  study TEXT NOT NULL,"
  "  code TEXT NOT NULL,"
  "  round TEXT NOT NULL,"
  "  details BLOB NOT NULL,"
  "  revision INTEGER NOT NULL,"
  "  created TEXT NOT NULL,"
  "  updated TEXT NOT NULL,"
  "  FOREIGN KEY (study, code) REFERENCES participants (study, code) ON DELETE CASCADE,"
  "  FOREIGN KEY (study, round) REFERENCES rounds (study, label)"
  ");"
  "CREATE INDEX contact_attempts_by_round ON contact_attempts (study, round, code);"

  "CREATE TABLE appointments ("
  "  id TEXT PRIMARY KEY,"
  "  study TEXT NOT NULL,"
  "  code TEXT NOT NULL,"
  "  round TEXT NOT NULL,"
  "  details BLOB NOT NULL,"
  "  revision INTEGER NOT NULL,"
  "  created TEXT NOT NULL,"
  "  updated TEXT NOT NULL,"
  "  FOREIGN KEY (study, code) REFERENCES participants (study, code) ON DELETE CASCADE,"
  "  FOREIGN KEY (study, round) REFERENCES rounds (study, label)"
  ");"
  "CREATE INDEX appointments_by_round ON appointments (study, round, code);"

  "CREATE TABLE attempt_tallies ("
  "  study TEXT NOT NULL,"
  "  code TEXT NOT NULL,"
  "  round TEXT NOT NULL,"
  "  seq INTEGER NOT NULL,"
  "  PRIMARY KEY (study, code, round),"
  "  FOREIGN KEY (study, code) REFERENCES participants (study, code) ON DELETE CASCADE"
  ") WITHOUT ROWID;"

  "CREATE TABLE attempt_summaries ("
  "  study TEXT NOT NULL,"
  "  code TEXT NOT NULL,"
  "  round TEXT NOT NULL,"
  "  device TEXT NOT NULL,"
  "  count INTEGER NOT NULL CHECK (count >= 0),"
  "  outcomes BLOB NOT NULL,"
  "  seq INTEGER NOT NULL,"
  "  updated TEXT NOT NULL,"
  "  PRIMARY KEY (study, code, round, device),"
  "  FOREIGN KEY (study, code) REFERENCES participants (study, code) ON DELETE CASCADE"
  ") WITHOUT ROWID;"

  "CREATE TABLE tracing_settings ("
  "  study TEXT PRIMARY KEY REFERENCES studies (id),"
  "  min_attempts INTEGER NOT NULL CHECK (min_attempts BETWEEN 0 AND 20)"
  ") WITHOUT ROWID;";

typedef gboolean (*VwMigrationFunc) (VwVault  *self,
                                     GError  **error);

typedef struct
{
  int              version;
  const char      *sql;  /* nullable */
  VwMigrationFunc  func; /* nullable; runs after @sql */
} VwMigration;

/* Every version, in order. */
static const VwMigration migrations[] = {
  { 1, schema_1, NULL },
  { 2, schema_2, NULL },
  { 3, schema_3, NULL },
  { 4, schema_4, NULL },
  { 5, schema_5, NULL },
  { 6, schema_6, NULL },
  { 7, schema_7, NULL },
  { 8, vw_vault_integrity_schema, vw_vault_migrate_padding },
  { 9, schema_9, NULL },
  { 10, schema_10, NULL },
  { 11, schema_11, NULL },
  /* Schema 12: the index of round preparations
   * (vw-vault-preparations.c), filled from the audit trail. */
  { 12, vw_vault_preparations_schema, vw_vault_migrate_preparations },
};

static gboolean
apply (VwVault  *self,
       int       from,
       int       to,
       GError  **error)
{
  g_autofree char *set_version = NULL;

  g_return_val_if_fail (migrations[G_N_ELEMENTS (migrations) - 1].version == VW_VAULT_SCHEMA_VERSION, FALSE);

  for (gsize i = 0; i < G_N_ELEMENTS (migrations); i++)
    {
      const VwMigration *m = &migrations[i];
      g_autoptr(GPtrArray) present = NULL;
      GError *local = NULL;

      if (m->version <= from || m->version > to)
        continue;
      /* A vault that has row MACs keeps them right through later steps. */
      if (!vw_vault_integrity_refresh (self, error))
        return FALSE;
      present = vw_vault_integrity_existing (self);
      if (m->sql != NULL && sqlite3_exec (self->db, m->sql, NULL, NULL, NULL) != SQLITE_OK)
        {
          g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_CORRUPT,
                       _("Cannot update the vault to format %d: %s"), m->version, sqlite3_errmsg (self->db));
          return FALSE;
        }
      if (m->func != NULL && !m->func (self, &local))
        {
          g_set_error (error, local->domain, local->code, _("Cannot update the vault to format %d: %s"),
                       m->version, local->message);
          g_error_free (local);
          return FALSE;
        }
      /* A table this step dropped is not one removed outside Veldwerk. */
      if (!vw_vault_integrity_forget_dropped (self, present, error))
        return FALSE;
      self->schema_version = m->version;
    }

  /* PRAGMA takes no parameters; the value is our own integer. */
  set_version = g_strdup_printf ("PRAGMA user_version = %d", to);
  if (sqlite3_exec (self->db, set_version, NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_IO,
                   _("Cannot update the vault to format %d: %s"), to, sqlite3_errmsg (self->db));
      return FALSE;
    }
  self->schema_version = to;
  /* Statements prepared against the old schema must be prepared again. */
  vw_vault_clear_statements (self);

  return vw_vault_integrity_refresh (self, error);
}

/* Creates the tables of @target_version in a new, empty database, inside
 * the caller's transaction; the vault's keys are installed. */
gboolean
vw_vault_schema_create (VwVault  *self,
                        int       target_version,
                        GError  **error)
{
  g_return_val_if_fail (target_version >= 1 && target_version <= VW_VAULT_SCHEMA_VERSION, FALSE);

  self->schema_version = 0;
  return apply (self, 0, target_version, error);
}

/* Brings an unlocked vault of an older schema up to date, in one
 * transaction: either every step applies or none does. */
gboolean
vw_vault_schema_migrate (VwVault  *self,
                         GError  **error)
{
  g_autofree char *detail = NULL;
  int from = self->schema_version;

  /* Up to date: only this connection's triggers to make. */
  if (from >= VW_VAULT_SCHEMA_VERSION)
    return vw_vault_integrity_refresh (self, error);

  if (!vw_vault_tx_begin (self, error))
    return FALSE;
  detail = g_strdup_printf ("%d -> %d", from, VW_VAULT_SCHEMA_VERSION);
  if (!vw_vault_tx_finish (self, apply (self, from, VW_VAULT_SCHEMA_VERSION, error) &&
                                 vw_vault_audit_append (self, "vault_migrated", NULL, detail, error),
                           error))
    {
      /* Rolled back: the file is as it was. */
      self->schema_version = from;
      self->migrating = FALSE;
      vw_vault_clear_statements (self);
      return FALSE;
    }

  /* A migration rewrites much of the file: into it at once (a failure
   * here loses nothing; closing tries again). */
  vw_vault_checkpoint (self, NULL);
  return TRUE;
}
