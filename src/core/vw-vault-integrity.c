/* vw-vault-integrity.c: every row of every table is accounted for.
 *
 * Encryption binds each value to its place, but it cannot tell that a row
 * is gone, that one was added, or that a column in clear (a region, an
 * interview's state, a device) was edited with the sqlite3 tool. So each
 * table in the list below has, beside it, a shadow table `vw_rows_<table>`
 * holding the row's primary key and a MAC over all of the row's columns,
 * and one row in `vw_integrity` with the table's state: the number of
 * shadow rows, their sum (mod 2^128) and a tag, a MAC over both, so that
 * a row removed together with its shadow row shows too.
 *
 *   row MAC  = BLAKE2b-128 keyed with the integrity subkey over the
 *              table, its column list and every column's type and value
 *   tag      = BLAKE2b-256 keyed over vault id, table, column list, count
 *              and sum
 *
 * All of it is kept up to date by TEMP triggers that each connection
 * makes when it is unlocked, on every INSERT, UPDATE and DELETE of a
 * listed table, whoever makes it: the ordinary calls, imports, merges and
 * code written later. They call functions registered with the vault key
 * and marked SQLITE_DIRECTONLY, so that a trigger planted in the file
 * cannot use the key: sqlite refuses to run it. A write made without them
 * (by the sqlite3 tool) is exactly what verify reports: a row deleted,
 * added or changed, by table and primary key. A row changed outside
 * Veldwerk stays reported after Veldwerk writes to it again (its shadow
 * MAC is kept wrong on purpose), and a table whose state was altered keeps
 * a broken tag.
 *
 * The columns are read from the schema, so a column added to a listed
 * table is covered without more code: when a table's columns differ from
 * those its shadow MACs were made over, the MACs are made again, each only
 * if it matched the old columns. A new table is covered by adding its name
 * to the list; its rows are taken as they are on the first unlock.
 *
 * The state rows also carry the vault id and an epoch, renewed with each
 * checkpoint, in clear: vw-vault-log.c uses them to tell a write-ahead log
 * of this vault from one of another vault or of another copy.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vw-vault-private.h"

/* The tables whose rows are accounted for: adding a table to the
 * integrity mechanism is one line here. */
static const char * const integrity_tables[] = {
  "meta",
  "questionnaires",
  "studies",
  "rounds",
  "interviewers",
  "participants",
  "participant_values",
  "contacts",
  "interviews",
  "answers",
  "notes",
  "quotes",
  "episodes",
  "consents",
  "devices",
  "audit",
  "trajectory_overrides",
  "study_recipients",
  "merged_bundles",
  "conflicts",
  "exchange_log",
  "exchange_state",
  "duplicate_decisions",
  "exchange_devices",
  /* Schema 6 (the exchange's change sequence and agreements) and 7
   * (handovers and their receipts). A name missing from the schema is
   * skipped. */
  "change_sequence",
  "agreements",
  "handovers",
  "handover_codes",
  "received_handovers",
  /* Schema 10 (aliases of joined participants). */
  "participant_aliases",
  "join_conflicts",
  /* Schema 11 (tracing between rounds). */
  "locators",
  "contact_attempts",
  "appointments",
  "attempt_tallies",
  "attempt_summaries",
  "tracing_settings",
  /* Schema 12: the index of round preparations. */
  "preparations",
};

#define ROW_MAC_LEN 16
#define STATE_VERSION 1
#define STATE_LEN (1 + VW_VAULT_ID_LEN + 2 * VW_INTEGRITY_EPOCH_LEN + 8 + ROW_MAC_LEN + VW_MAC_LEN)

/* Offsets into a state. */
enum {
  STATE_VAULT_ID = 1,
  STATE_EPOCH = STATE_VAULT_ID + VW_VAULT_ID_LEN,
  STATE_PREV_EPOCH = STATE_EPOCH + VW_INTEGRITY_EPOCH_LEN,
  STATE_COUNT = STATE_PREV_EPOCH + VW_INTEGRITY_EPOCH_LEN,
  STATE_SUM = STATE_COUNT + 8,
  STATE_TAG = STATE_SUM + ROW_MAC_LEN,
};

G_STATIC_ASSERT (STATE_TAG + VW_MAC_LEN == STATE_LEN);

/* Schema 8 makes this table; the shadow tables are made with it, or
 * when a table is added to the list. */
const char vw_vault_integrity_schema[] =
  "CREATE TABLE vw_integrity ("
  "  tbl TEXT PRIMARY KEY,"
  "  columns TEXT NOT NULL,"
  "  state BLOB NOT NULL"
  ") WITHOUT ROWID;";

/* The MACs and sums. */

static void
mac_add (crypto_generichash_state *state,
         const void               *data,
         gsize                     len)
{
  guint32 le = GUINT32_TO_LE ((guint32) len);

  crypto_generichash_update (state, (const guint8 *) &le, sizeof le);
  if (len > 0)
    crypto_generichash_update (state, data, len);
}

static void
mac_add_value (crypto_generichash_state *state,
               sqlite3_value            *value)
{
  guint8 type = (guint8) sqlite3_value_type (value);

  crypto_generichash_update (state, &type, 1);
  switch (type)
    {
    case SQLITE_INTEGER:
      {
        guint64 le = GUINT64_TO_LE ((guint64) sqlite3_value_int64 (value));
        mac_add (state, &le, sizeof le);
      }
      break;
    case SQLITE_FLOAT:
      {
        double d = sqlite3_value_double (value);
        guint64 bits;

        memcpy (&bits, &d, sizeof bits);
        bits = GUINT64_TO_LE (bits);
        mac_add (state, &bits, sizeof bits);
      }
      break;
    case SQLITE_TEXT:
      {
        const unsigned char *text = sqlite3_value_text (value);
        mac_add (state, text, sqlite3_value_bytes (value));
      }
      break;
    case SQLITE_BLOB:
      {
        const void *blob = sqlite3_value_blob (value);
        mac_add (state, blob, sqlite3_value_bytes (value));
      }
      break;
    default:
      break;
    }
}

/* vw_row_mac (table, columns, value, ...): the row MAC. */
static void
row_mac_func (sqlite3_context  *context,
              int               argc,
              sqlite3_value   **argv)
{
  VwVault *self = sqlite3_user_data (context);
  crypto_generichash_state state;
  guint8 out[ROW_MAC_LEN];

  if (self->subkeys[VW_SUBKEY_INTEGRITY] == NULL || argc < 2)
    {
      sqlite3_result_error (context, "the vault is locked", -1);
      return;
    }
  crypto_generichash_init (&state, vw_vault_subkey (self, VW_SUBKEY_INTEGRITY), VW_KEY_LEN, sizeof out);
  mac_add (&state, "veldwerk/row/1", 14);
  for (int i = 0; i < argc; i++)
    mac_add_value (&state, argv[i]);
  crypto_generichash_final (&state, out, sizeof out);
  sqlite3_result_blob (context, out, sizeof out, SQLITE_TRANSIENT);
}

static gboolean
is_row_mac (sqlite3_value *value)
{
  return sqlite3_value_type (value) == SQLITE_BLOB && sqlite3_value_bytes (value) == ROW_MAC_LEN;
}

/* A shadow MAC that cannot match its row: kept for a row that was changed
 * outside Veldwerk, so that writing to it again does not hide that. */
static void
poison (guint8 *mac)
{
  for (int i = 0; i < ROW_MAC_LEN; i++)
    mac[i] ^= 0xa5;
}

/* vw_row_entry (stored, old_mac, new_mac): the shadow MAC of a row after
 * an UPDATE: the new MAC if the row was intact before, else a wrong one. */
static void
row_entry_func (sqlite3_context  *context,
                int               argc,
                sqlite3_value   **argv)
{
  guint8 out[ROW_MAC_LEN];

  if (!is_row_mac (argv[2]))
    {
      sqlite3_result_error (context, "not a row MAC", -1);
      return;
    }
  memcpy (out, sqlite3_value_blob (argv[2]), ROW_MAC_LEN);
  if (!is_row_mac (argv[0]) || !is_row_mac (argv[1]) ||
      sodium_memcmp (sqlite3_value_blob (argv[0]), sqlite3_value_blob (argv[1]), ROW_MAC_LEN) != 0)
    poison (out);
  sqlite3_result_blob (context, out, sizeof out, SQLITE_TRANSIENT);
}

/* 128-bit little-endian sums. */
static void
sum_add (guint8       *sum,
         const guint8 *mac,
         int           sign)
{
  guint carry = 0;

  for (int i = 0; i < ROW_MAC_LEN; i++)
    {
      int v = sign > 0 ? sum[i] + mac[i] + (int) carry : sum[i] - mac[i] - (int) carry;

      carry = sign > 0 ? v > 0xff : v < 0;
      sum[i] = (guint8) (v & 0xff);
    }
}

static void
state_tag (VwVault      *self,
           const char   *table,
           const char   *columns,
           const guint8 *state,
           guint8       *out)
{
  crypto_generichash_state h;

  crypto_generichash_init (&h, vw_vault_subkey (self, VW_SUBKEY_INTEGRITY), VW_KEY_LEN, VW_MAC_LEN);
  mac_add (&h, "veldwerk/integrity/1", 20);
  mac_add (&h, self->vault_id, VW_VAULT_ID_LEN);
  mac_add (&h, table, strlen (table));
  mac_add (&h, columns, strlen (columns));
  mac_add (&h, state + STATE_COUNT, 8);
  mac_add (&h, state + STATE_SUM, ROW_MAC_LEN);
  crypto_generichash_final (&h, out, VW_MAC_LEN);
}

static gboolean
state_tag_valid (VwVault      *self,
                 const char   *table,
                 const char   *columns,
                 const guint8 *state)
{
  guint8 tag[VW_MAC_LEN];

  state_tag (self, table, columns, state, tag);
  return sodium_memcmp (tag, state + STATE_TAG, VW_MAC_LEN) == 0;
}

static guint64
state_count (const guint8 *state)
{
  guint64 le;

  memcpy (&le, state + STATE_COUNT, 8);
  return GUINT64_FROM_LE (le);
}

static void
state_set_count (guint8  *state,
                 guint64  count)
{
  guint64 le = GUINT64_TO_LE (count);

  memcpy (state + STATE_COUNT, &le, 8);
}

/* Sets the tag, or a zero tag when @broken: a table that was altered
 * stays reported until someone looks. */
static void
state_seal (VwVault    *self,
            const char *table,
            const char *columns,
            guint8     *state,
            gboolean    broken)
{
  if (broken)
    memset (state + STATE_TAG, 0, VW_MAC_LEN);
  else
    state_tag (self, table, columns, state, state + STATE_TAG);
}

/* vw_integrity_fold (table, columns, state, old, new): the state after a
 * shadow MAC @old (or none) was replaced by @new (or none). */
static void
fold_func (sqlite3_context  *context,
           int               argc,
           sqlite3_value   **argv)
{
  VwVault *self = sqlite3_user_data (context);
  const char *table = (const char *) sqlite3_value_text (argv[0]);
  const char *columns = (const char *) sqlite3_value_text (argv[1]);
  guint8 state[STATE_LEN];
  gboolean broken;
  guint64 count;

  if (self->subkeys[VW_SUBKEY_INTEGRITY] == NULL)
    {
      sqlite3_result_error (context, "the vault is locked", -1);
      return;
    }
  if (table == NULL || columns == NULL || sqlite3_value_type (argv[2]) != SQLITE_BLOB ||
      sqlite3_value_bytes (argv[2]) != STATE_LEN)
    {
      /* Left as it is: verify reports it. */
      sqlite3_result_value (context, argv[2]);
      return;
    }
  memcpy (state, sqlite3_value_blob (argv[2]), STATE_LEN);
  broken = !state_tag_valid (self, table, columns, state);
  count = state_count (state);
  if (is_row_mac (argv[3]))
    {
      sum_add (state + STATE_SUM, sqlite3_value_blob (argv[3]), -1);
      count--;
    }
  if (is_row_mac (argv[4]))
    {
      sum_add (state + STATE_SUM, sqlite3_value_blob (argv[4]), +1);
      count++;
    }
  state_set_count (state, count);
  state_seal (self, table, columns, state, broken);
  sqlite3_result_blob (context, state, sizeof state, SQLITE_TRANSIENT);
}

typedef struct
{
  guint64 count;
  guint8  sum[ROW_MAC_LEN];
  gboolean bad;
} SumAggregate;

/* vw_integrity_sum (mac): count (8, LE) || sum of the shadow MACs. */
static void
sum_step (sqlite3_context  *context,
          int               argc,
          sqlite3_value   **argv)
{
  SumAggregate *agg = sqlite3_aggregate_context (context, sizeof *agg);

  if (agg == NULL)
    return;
  if (!is_row_mac (argv[0]))
    {
      agg->bad = TRUE;
      return;
    }
  sum_add (agg->sum, sqlite3_value_blob (argv[0]), +1);
  agg->count++;
}

static void
sum_final (sqlite3_context *context)
{
  SumAggregate *agg = sqlite3_aggregate_context (context, sizeof *agg);
  guint8 out[8 + ROW_MAC_LEN] = { 0 };
  guint64 le;

  if (agg == NULL)
    {
      sqlite3_result_error_nomem (context);
      return;
    }
  le = GUINT64_TO_LE (agg->bad ? G_MAXUINT64 : agg->count);
  memcpy (out, &le, 8);
  memcpy (out + 8, agg->sum, ROW_MAC_LEN);
  sqlite3_result_blob (context, out, sizeof out, SQLITE_TRANSIENT);
}

/**
 * vw_vault_integrity_register:
 *
 * Registers the functions the triggers call, on a new connection. They
 * need the vault unlocked, and are refused by sqlite anywhere but in the
 * connection's own statements and TEMP triggers.
 */
gboolean
vw_vault_integrity_register (VwVault  *self,
                             GError  **error)
{
  int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY;
  int rc;

  if ((rc = sqlite3_create_function (self->db, "vw_row_mac", -1, flags, self, row_mac_func, NULL, NULL)) !=
        SQLITE_OK ||
      (rc = sqlite3_create_function (self->db, "vw_row_entry", 3, flags, self, row_entry_func, NULL, NULL)) !=
        SQLITE_OK ||
      (rc = sqlite3_create_function (self->db, "vw_integrity_fold", 5, flags, self, fold_func, NULL, NULL)) !=
        SQLITE_OK ||
      (rc = sqlite3_create_function (self->db, "vw_integrity_sum", 1, flags, self, NULL, sum_step, sum_final)) !=
        SQLITE_OK)
    return vw_vault_sql_error (self, rc, error);
  return TRUE;
}

/* Tables as the schema has them. */

typedef struct
{
  char      *name;
  GPtrArray *columns;  /* (element-type utf8) in the table's order */
  GPtrArray *pk;       /* (element-type utf8) the primary key, or "rowid" */
  GPtrArray *pk_types; /* (element-type utf8) their declared types */
  char      *definition; /* the columns, joined by commas */
} Shape;

static void
shape_free (Shape *shape)
{
  if (shape == NULL)
    return;
  g_free (shape->name);
  g_clear_pointer (&shape->columns, g_ptr_array_unref);
  g_clear_pointer (&shape->pk, g_ptr_array_unref);
  g_clear_pointer (&shape->pk_types, g_ptr_array_unref);
  g_free (shape->definition);
  g_free (shape);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Shape, shape_free)

static char *
quote_ident (const char *name)
{
  g_autoptr(GString) out = g_string_new ("\"");

  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
quote_literal (const char *text)
{
  char *quoted = sqlite3_mprintf ("%Q", text);
  char *copy = g_strdup (quoted);

  sqlite3_free (quoted);
  return copy;
}

/* Returns: (nullable): the table's shape, or %NULL without an error when
 * there is no such table. */
static Shape *
read_shape (VwVault     *self,
            const char  *table,
            GError     **error)
{
  g_autoptr(Shape) shape = g_new0 (Shape, 1);
  g_autofree char *quoted = quote_ident (table);
  g_autofree char *sql = g_strdup_printf ("PRAGMA main.table_info (%s)", quoted);
  g_autoptr(GPtrArray) types = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) positions = g_array_new (FALSE, TRUE, sizeof (int));
  sqlite3_stmt *stmt = NULL;
  int rc;

  shape->name = g_strdup (table);
  shape->columns = g_ptr_array_new_with_free_func (g_free);
  shape->pk = g_ptr_array_new_with_free_func (g_free);
  shape->pk_types = g_ptr_array_new_with_free_func (g_free);
  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      vw_vault_sql_error (self, rc, error);
      return NULL;
    }
  /* cid, name, type, notnull, dflt_value, pk (its place in the key) */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int pk = sqlite3_column_int (stmt, 5);

      g_ptr_array_add (shape->columns, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      g_ptr_array_add (types, g_strdup ((const char *) sqlite3_column_text (stmt, 2)));
      g_array_append_val (positions, pk);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      vw_vault_sql_error (self, rc, error);
      return NULL;
    }
  if (shape->columns->len == 0)
    return NULL;

  for (int place = 1; place <= (int) positions->len; place++)
    for (guint c = 0; c < positions->len; c++)
      if (g_array_index (positions, int, c) == place)
        {
          g_ptr_array_add (shape->pk, g_strdup (g_ptr_array_index (shape->columns, c)));
          g_ptr_array_add (shape->pk_types, g_strdup (g_ptr_array_index (types, c)));
        }
  /* A table without a declared key is keyed by its rowid. */
  if (shape->pk->len == 0)
    {
      g_ptr_array_add (shape->pk, g_strdup ("rowid"));
      g_ptr_array_add (shape->pk_types, g_strdup ("INTEGER"));
    }
  g_ptr_array_add (shape->columns, NULL);
  shape->definition = g_strjoinv (",", (char **) shape->columns->pdata);
  g_ptr_array_set_size (shape->columns, shape->columns->len - 1);
  return g_steal_pointer (&shape);
}

/* "vw_row_mac ('t', 'a,b', P.a, P.b)" over @definition's columns. */
static char *
mac_expr (const char *table,
          const char *definition,
          const char *prefix)
{
  g_auto(GStrv) columns = g_strsplit (definition, ",", -1);
  g_autofree char *t = quote_literal (table);
  g_autofree char *d = quote_literal (definition);
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "vw_row_mac (%s, %s", t, d);
  for (int i = 0; columns[i] != NULL; i++)
    {
      g_autofree char *c = quote_ident (columns[i]);
      g_string_append_printf (out, ", %s.%s", prefix, c);
    }
  g_string_append (out, ")");
  return g_string_free (out, FALSE);
}

/* "L.a OP R.a AND L.b OP R.b" over the primary key; without @left, the
 * bare column names. */
static char *
key_match (const Shape *shape,
           const char  *left,
           const char  *right,
           const char  *op)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < shape->pk->len; i++)
    {
      g_autofree char *c = quote_ident (g_ptr_array_index (shape->pk, i));

      g_string_append (out, i ? " AND " : "");
      if (left != NULL)
        g_string_append_printf (out, "%s.", left);
      g_string_append_printf (out, "%s %s %s.%s", c, op, right, c);
    }
  return g_string_free (out, FALSE);
}

/* "P.a, P.b" over the primary key. */
static char *
key_list (const Shape *shape,
          const char  *prefix)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < shape->pk->len; i++)
    {
      g_autofree char *c = quote_ident (g_ptr_array_index (shape->pk, i));
      if (prefix != NULL)
        g_string_append_printf (out, "%s%s.%s", i ? ", " : "", prefix, c);
      else
        g_string_append_printf (out, "%s%s", i ? ", " : "", c);
    }
  return g_string_free (out, FALSE);
}

static char *
shadow_name (const char *table)
{
  g_autofree char *name = g_strconcat ("vw_rows_", table, NULL);

  return quote_ident (name);
}

static gboolean
exec (VwVault     *self,
      const char  *sql,
      GError     **error)
{
  return vw_vault_exec (self, sql, error);
}

static gboolean
create_shadow_named (VwVault      *self,
                     const Shape  *shape,
                     const char   *shadow,
                     GError      **error)
{
  g_autofree char *keys = key_list (shape, NULL);
  GString *sql = g_string_new (NULL);
  g_autofree char *text = NULL;

  g_string_append_printf (sql, "CREATE TABLE IF NOT EXISTS %s (", shadow);
  for (guint i = 0; i < shape->pk->len; i++)
    {
      g_autofree char *c = quote_ident (g_ptr_array_index (shape->pk, i));
      g_string_append_printf (sql, "%s %s NOT NULL, ", c, (const char *) g_ptr_array_index (shape->pk_types, i));
    }
  g_string_append_printf (sql, "mac BLOB NOT NULL, PRIMARY KEY (%s)) WITHOUT ROWID", keys);
  text = g_string_free (sql, FALSE);
  return exec (self, text, error);
}

static gboolean
create_shadow (VwVault      *self,
               const Shape  *shape,
               GError      **error)
{
  g_autofree char *shadow = shadow_name (shape->name);

  return create_shadow_named (self, shape, shadow, error);
}

/* The key columns of a table's shadow as it is: all but "mac". */
static GPtrArray *
shadow_keys (VwVault    *self,
             const char *table)
{
  g_autofree char *shadow = shadow_name (table);
  g_autofree char *sql = g_strdup_printf ("PRAGMA main.table_info (%s)", shadow);
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) == SQLITE_OK)
    while (sqlite3_step (stmt) == SQLITE_ROW)
      if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), "mac") != 0)
        g_ptr_array_add (keys, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_finalize (stmt);
  return keys;
}

static gboolean
same_names (GPtrArray *a,
            GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (g_strcmp0 (g_ptr_array_index (a, i), g_ptr_array_index (b, i)) != 0)
      return FALSE;
  return TRUE;
}

/* The states. */

typedef struct
{
  char   *columns;
  guint8  state[STATE_LEN];
  gboolean valid_length;
} StoredState;

/* Returns 1 with @out filled, 0 when the table has no state, -1 on error. */
static int
read_state (VwVault      *self,
            const char   *table,
            StoredState  *out,
            GError      **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, "SELECT columns, state FROM vw_integrity WHERE tbl = ?", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return vw_vault_sql_error (self, rc, error), -1;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      out->columns = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      out->valid_length = sqlite3_column_bytes (stmt, 1) == STATE_LEN && out->columns != NULL;
      memset (out->state, 0, STATE_LEN);
      if (out->valid_length)
        memcpy (out->state, sqlite3_column_blob (stmt, 1), STATE_LEN);
      sqlite3_finalize (stmt);
      return 1;
    }
  if (rc != SQLITE_DONE)
    vw_vault_sql_error (self, rc, error);
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE ? 0 : -1;
}

static gboolean
write_state (VwVault       *self,
             const char    *table,
             const char    *columns,
             const guint8  *state,
             GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, "INSERT OR REPLACE INTO vw_integrity (tbl, columns, state) VALUES (?, ?, ?)",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return vw_vault_sql_error (self, rc, error);
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, columns, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 3, state, STATE_LEN, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return vw_vault_sql_error (self, rc, error);
  return TRUE;
}

/* The count and sum of a table's shadow MACs, as they are. */
static gboolean
shadow_sum (VwVault      *self,
            const char   *table,
            guint64      *count,
            guint8       *sum,
            GError      **error)
{
  g_autofree char *shadow = shadow_name (table);
  g_autofree char *sql = g_strdup_printf ("SELECT vw_integrity_sum (mac) FROM %s", shadow);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return vw_vault_sql_error (self, rc, error);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW || sqlite3_column_bytes (stmt, 0) != 8 + ROW_MAC_LEN)
    {
      vw_vault_sql_error (self, rc == SQLITE_ROW ? SQLITE_CORRUPT : rc, error);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  {
    guint64 le;

    memcpy (&le, sqlite3_column_blob (stmt, 0), 8);
    *count = GUINT64_FROM_LE (le);
    memcpy (sum, (const guint8 *) sqlite3_column_blob (stmt, 0) + 8, ROW_MAC_LEN);
  }
  sqlite3_finalize (stmt);
  return TRUE;
}

/* A new state over the shadow as it is, in the current epoch (or a new
 * one). @broken keeps a table that was altered reported. */
static gboolean
seal_state_from_shadow (VwVault      *self,
                        const char   *table,
                        const char   *columns,
                        const guint8 *epochs,
                        gboolean      broken,
                        GError      **error)
{
  guint8 state[STATE_LEN] = { STATE_VERSION };
  guint64 count;

  if (!shadow_sum (self, table, &count, state + STATE_SUM, error))
    return FALSE;
  memcpy (state + STATE_VAULT_ID, self->vault_id, VW_VAULT_ID_LEN);
  memcpy (state + STATE_EPOCH, epochs, 2 * VW_INTEGRITY_EPOCH_LEN);
  state_set_count (state, count);
  state_seal (self, table, columns, state, broken);
  return write_state (self, table, columns, state, error);
}

/* The epochs of the vault as the first state has them; fresh ones for a
 * vault that has none yet. */
static void
current_epochs (VwVault *self,
                guint8  *epochs)
{
  sqlite3_stmt *stmt = NULL;

  memset (epochs, 0, 2 * VW_INTEGRITY_EPOCH_LEN);
  if (sqlite3_prepare_v2 (self->db, "SELECT state FROM vw_integrity ORDER BY tbl LIMIT 1", -1, &stmt, NULL) ==
        SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_bytes (stmt, 0) == STATE_LEN)
    memcpy (epochs, (const guint8 *) sqlite3_column_blob (stmt, 0) + STATE_EPOCH, 2 * VW_INTEGRITY_EPOCH_LEN);
  else
    randombytes_buf (epochs, VW_INTEGRITY_EPOCH_LEN);
  sqlite3_finalize (stmt);
}

/* Takes a table's rows as they are: its first shadow MACs. */
static gboolean
baseline (VwVault      *self,
          const Shape  *shape,
          const guint8 *epochs,
          GError      **error)
{
  g_autofree char *shadow = shadow_name (shape->name);
  g_autofree char *table = quote_ident (shape->name);
  g_autofree char *keys = key_list (shape, NULL);
  g_autofree char *mac = mac_expr (shape->name, shape->definition, table);
  g_autofree char *sql = g_strdup_printf ("DELETE FROM %s; INSERT INTO %s (%s, mac) SELECT %s, %s FROM %s",
                                          shadow, shadow, keys, keys, mac, table);

  return create_shadow (self, shape, error) && exec (self, sql, error) &&
         seal_state_from_shadow (self, shape->name, shape->definition, epochs, FALSE, error);
}

static gboolean
columns_exist (const Shape *shape,
               const char  *definition)
{
  g_auto(GStrv) columns = g_strsplit (definition, ",", -1);

  for (int i = 0; columns[i] != NULL; i++)
    if (!g_ptr_array_find_with_equal_func (shape->columns, columns[i], g_str_equal, NULL))
      return FALSE;
  return TRUE;
}

/* The table's columns or its key changed (a migration added a column,
 * or made the table anew): each shadow MAC that matches the row under the
 * old columns is made again under the new ones; one that does not stays
 * wrong. */
static gboolean
rebuild (VwVault           *self,
         const Shape       *shape,
         const StoredState *stored,
         GError           **error)
{
  g_autofree char *shadow = shadow_name (shape->name);
  g_autofree char *table = quote_ident (shape->name);
  g_autofree char *match = key_match (shape, "t", shadow, "=");
  g_autofree char *new_mac = mac_expr (shape->name, shape->definition, "t");
  g_autofree char *old_mac = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GPtrArray) old_keys = NULL;
  guint64 count;
  guint8 sum[ROW_MAC_LEN];
  gboolean broken;

  if (!shadow_sum (self, shape->name, &count, sum, error))
    return FALSE;
  broken = !stored->valid_length || !state_tag_valid (self, shape->name, stored->columns, stored->state) ||
           count != state_count (stored->state) ||
           sodium_memcmp (sum, stored->state + STATE_SUM, ROW_MAC_LEN) != 0;

  /* Columns that are gone cannot be checked; the row is taken as it is. */
  old_mac = columns_exist (shape, stored->columns) ? mac_expr (shape->name, stored->columns, "t")
                                                   : g_strdup (new_mac);
  old_keys = shadow_keys (self, shape->name);
  if (same_names (old_keys, shape->pk))
    {
      sql = g_strdup_printf ("UPDATE %s SET mac = (SELECT vw_row_entry (%s.mac, %s, %s) FROM %s t WHERE %s) "
                             "WHERE EXISTS (SELECT 1 FROM %s t WHERE %s)",
                             shadow, shadow, old_mac, new_mac, table, match, table, match);
      if (!exec (self, sql, error))
        return FALSE;
    }
  else
    {
      /* The primary key changed (a migration made the table anew): a new
       * shadow keyed the new way, carrying each MAC over that matched its
       * row, found by the old key. MACs of rows that are gone cannot be
       * carried over, so they leave the table reported. */
      g_autofree char *new_shadow_name = g_strconcat ("vw_rows_", shape->name, "_new", NULL);
      g_autofree char *new_shadow = quote_ident (new_shadow_name);
      g_autofree char *keys = key_list (shape, NULL);
      g_autofree char *t_keys = key_list (shape, "t");
      g_autoptr(GString) old_match = g_string_new (NULL);
      g_autofree char *old_name = shadow_name (shape->name);
      gboolean checkable = old_keys->len > 0 && columns_exist (shape, stored->columns);

      for (guint i = 0; checkable && i < old_keys->len; i++)
        {
          g_autofree char *c = quote_ident (g_ptr_array_index (old_keys, i));

          checkable = g_ptr_array_find_with_equal_func (shape->columns, g_ptr_array_index (old_keys, i),
                                                        g_str_equal, NULL);
          g_string_append_printf (old_match, "%ss.%s = t.%s", i ? " AND " : "", c, c);
        }
      g_free (sql);
      sql = g_strdup_printf ("DROP TABLE IF EXISTS %s", new_shadow);
      if (!exec (self, sql, error) || !create_shadow_named (self, shape, new_shadow, error))
        return FALSE;
      g_clear_pointer (&sql, g_free);
      if (checkable)
        sql = g_strdup_printf ("INSERT INTO %s (%s, mac) SELECT %s, vw_row_entry (s.mac, %s, %s) "
                               "FROM %s t JOIN %s s ON %s",
                               new_shadow, keys, t_keys, old_mac, new_mac, table, old_name, old_match->str);
      else
        sql = g_strdup_printf ("INSERT INTO %s (%s, mac) SELECT %s, %s FROM %s t", new_shadow, keys, t_keys,
                               new_mac, table);
      if (!exec (self, sql, error))
        return FALSE;
      if ((guint64) sqlite3_changes64 (self->db) != count)
        broken = TRUE;
      g_free (sql);
      sql = g_strdup_printf ("DROP TABLE %s; ALTER TABLE %s RENAME TO %s", old_name, new_shadow, old_name);
      if (!exec (self, sql, error))
        return FALSE;
    }
  return seal_state_from_shadow (self, shape->name, shape->definition, stored->state + STATE_EPOCH, broken, error);
}

/* The TEMP triggers of one table, over the columns its MACs cover. */
static gboolean
attach_table (VwVault      *self,
              const Shape  *shape,
              const char   *definition,
              GError      **error)
{
  g_autofree char *shadow = shadow_name (shape->name);
  g_autofree char *table = quote_ident (shape->name);
  g_autofree char *lit = quote_literal (shape->name);
  g_autofree char *keys = key_list (shape, NULL);
  g_autofree char *new_keys = key_list (shape, "NEW");
  g_autofree char *at_new = key_match (shape, NULL, "NEW", "=");
  g_autofree char *at_old = key_match (shape, NULL, "OLD", "=");
  /* Whether an UPDATE kept the row's key. */
  g_autofree char *same_key = key_match (shape, "NEW", "OLD", "IS");
  g_autofree char *mac_new = mac_expr (shape->name, definition, "NEW");
  g_autofree char *mac_old = mac_expr (shape->name, definition, "OLD");
  g_autofree char *stored_new = g_strdup_printf ("(SELECT mac FROM %s WHERE %s)", shadow, at_new);
  g_autofree char *stored_old = g_strdup_printf ("(SELECT mac FROM %s WHERE %s)", shadow, at_old);
  g_autofree char *entry = g_strdup_printf ("vw_row_entry (%s, %s, %s)", stored_old, mac_old, mac_new);
  g_autofree char *base = g_strconcat ("vw_integrity_", shape->name, NULL);
  g_autofree char *name_insert = NULL, *name_update = NULL, *name_delete = NULL;
  g_autofree char *sql = NULL;

  {
    g_autofree char *a = g_strconcat (base, "_insert", NULL);
    g_autofree char *b = g_strconcat (base, "_update", NULL);
    g_autofree char *c = g_strconcat (base, "_delete", NULL);
    name_insert = quote_ident (a);
    name_update = quote_ident (b);
    name_delete = quote_ident (c);
  }

  sql = g_strdup_printf (
    "DROP TRIGGER IF EXISTS temp.%s; DROP TRIGGER IF EXISTS temp.%s; DROP TRIGGER IF EXISTS temp.%s;"
    "CREATE TEMP TRIGGER %s AFTER INSERT ON main.%s BEGIN "
    "  UPDATE vw_integrity SET state = vw_integrity_fold (tbl, columns, state, %s, %s) WHERE tbl = %s;"
    "  INSERT OR REPLACE INTO %s (%s, mac) VALUES (%s, %s);"
    "END;"
    "CREATE TEMP TRIGGER %s AFTER UPDATE ON main.%s BEGIN "
    "  UPDATE vw_integrity SET state = vw_integrity_fold (tbl, columns, state, %s, %s) WHERE tbl = %s;"
    "  INSERT OR REPLACE INTO %s (%s, mac) SELECT %s, %s;"
    "  DELETE FROM %s WHERE %s AND NOT (%s);"
    "END;"
    "CREATE TEMP TRIGGER %s AFTER DELETE ON main.%s BEGIN "
    "  UPDATE vw_integrity SET state = vw_integrity_fold (tbl, columns, state, %s, NULL) WHERE tbl = %s;"
    "  DELETE FROM %s WHERE %s;"
    "END;",
    name_insert, name_update, name_delete,
    name_insert, table, stored_new, mac_new, lit, shadow, keys, new_keys, mac_new,
    name_update, table, stored_old, entry, lit, shadow, keys, new_keys, entry, shadow, at_old, same_key,
    name_delete, table, stored_old, lit, shadow, at_old);
  return exec (self, sql, error);
}

/**
 * vw_vault_integrity_baseline:
 *
 * Schema 8, in its transaction: the shadow tables and states of every
 * listed table, over the rows as they are.
 */
gboolean
vw_vault_integrity_baseline (VwVault  *self,
                             GError  **error)
{
  guint8 epochs[2 * VW_INTEGRITY_EPOCH_LEN] = { 0 };

  randombytes_buf (epochs, VW_INTEGRITY_EPOCH_LEN);
  for (gsize i = 0; i < G_N_ELEMENTS (integrity_tables); i++)
    {
      g_autoptr(Shape) shape = NULL;
      GError *local = NULL;

      shape = read_shape (self, integrity_tables[i], &local);
      if (local != NULL)
        {
          g_propagate_error (error, local);
          return FALSE;
        }
      /* A table of a later schema is covered when it exists. */
      if (shape != NULL && !baseline (self, shape, epochs, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * vw_vault_integrity_refresh:
 *
 * After unlocking (and after each migration step of a vault that has
 * schema 8): takes new tables of the list on, makes the MACs of tables
 * whose columns changed again, and makes this connection's triggers.
 * Writes only when something changed, inside the caller's transaction
 * if there is one, else in its own.
 */
gboolean
vw_vault_integrity_refresh (VwVault  *self,
                            GError  **error)
{
  g_autoptr(GPtrArray) shapes = g_ptr_array_new_with_free_func ((GDestroyNotify) shape_free);
  g_autoptr(GPtrArray) changes = g_ptr_array_new ();
  g_autoptr(GPtrArray) stored = g_ptr_array_new ();
  guint8 epochs[2 * VW_INTEGRITY_EPOCH_LEN];
  gboolean ok = TRUE;

  if (self->schema_version < VW_SCHEMA_PADDED)
    return TRUE;

  for (gsize i = 0; i < G_N_ELEMENTS (integrity_tables); i++)
    {
      GError *local = NULL;
      Shape *shape = read_shape (self, integrity_tables[i], &local);
      StoredState *s = g_new0 (StoredState, 1);
      int found;

      if (local != NULL)
        {
          g_propagate_error (error, local);
          g_free (s);
          ok = FALSE;
          break;
        }
      if (shape == NULL)
        {
          g_free (s);
          continue;
        }
      g_ptr_array_add (shapes, shape);
      found = read_state (self, shape->name, s, error);
      if (found < 0)
        {
          g_free (s);
          ok = FALSE;
          break;
        }
      g_ptr_array_add (stored, s);
      if (found == 0 || g_strcmp0 (s->columns, shape->definition) != 0)
        g_ptr_array_add (changes, GUINT_TO_POINTER (shapes->len - 1));
      else
        {
          g_autoptr(GPtrArray) keys = shadow_keys (self, shape->name);

          if (!same_names (keys, shape->pk))
            g_ptr_array_add (changes, GUINT_TO_POINTER (shapes->len - 1));
        }
      if (found == 0)
        {
          g_free (s->columns);
          s->columns = NULL;
        }
    }

  if (ok && changes->len > 0)
    {
      gboolean own_tx = self->tx_depth == 0;

      current_epochs (self, epochs);
      ok = !own_tx || vw_vault_tx_begin (self, error);
      for (guint i = 0; ok && i < changes->len; i++)
        {
          guint k = GPOINTER_TO_UINT (g_ptr_array_index (changes, i));
          Shape *shape = g_ptr_array_index (shapes, k);
          StoredState *s = g_ptr_array_index (stored, k);

          ok = s->columns == NULL ? baseline (self, shape, epochs, error) : rebuild (self, shape, s, error);
          if (ok)
            {
              g_free (s->columns);
              s->columns = g_strdup (shape->definition);
            }
        }
      if (own_tx && !vw_vault_tx_finish (self, ok, error))
        ok = FALSE;
    }

  for (guint i = 0; ok && i < shapes->len; i++)
    {
      StoredState *s = g_ptr_array_index (stored, i);
      ok = attach_table (self, g_ptr_array_index (shapes, i), s->columns, error);
    }

  for (guint i = 0; i < stored->len; i++)
    {
      StoredState *s = g_ptr_array_index (stored, i);
      g_free (s->columns);
      g_free (s);
    }
  return ok;
}

/* Checking. */

static char *
describe_key (const char   *table,
              sqlite3_stmt *stmt,
              int           first,
              int           n)
{
  GString *out = g_string_new (table);

  for (int i = first; i < first + n; i++)
    {
      switch (sqlite3_column_type (stmt, i))
        {
        case SQLITE_NULL:
          g_string_append (out, "/NULL");
          break;
        case SQLITE_BLOB:
          {
            gsize len = sqlite3_column_bytes (stmt, i);
            g_autofree char *hex = g_malloc (2 * len + 1);

            sodium_bin2hex (hex, 2 * len + 1, sqlite3_column_blob (stmt, i), len);
            g_string_append_printf (out, "/%s", hex);
          }
          break;
        default:
          g_string_append_printf (out, "/%s", (const char *) sqlite3_column_text (stmt, i));
          break;
        }
    }
  return g_string_free (out, FALSE);
}

/* Runs @sql, whose first column says whether the row was added and whose
 * next ones are its key, and adds a problem per row: added, or else
 * @deleted or changed. */
static void
report_rows (VwVault     *self,
             const Shape *shape,
             const char  *sql,
             gboolean     deleted,
             GPtrArray   *problems)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_ptr_array_add (problems, g_strdup_printf ("%s: %s", shape->name, sqlite3_errmsg (self->db)));
      return;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *where = describe_key (shape->name, stmt, 1, shape->pk->len);

      if (sqlite3_column_int (stmt, 0) != 0)
        g_ptr_array_add (problems, g_strdup_printf (_("%s: a row was added outside Veldwerk"), where));
      else if (deleted)
        g_ptr_array_add (problems, g_strdup_printf (_("%s: the row was deleted outside Veldwerk"), where));
      else
        g_ptr_array_add (problems, g_strdup_printf (_("%s: the row was changed outside Veldwerk"), where));
    }
  if (rc != SQLITE_DONE)
    g_ptr_array_add (problems, g_strdup_printf ("%s: %s", shape->name, sqlite3_errmsg (self->db)));
  sqlite3_finalize (stmt);
}

static void
check_table (VwVault     *self,
             const char  *name,
             GPtrArray   *problems)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Shape) shape = read_shape (self, name, &error);
  StoredState stored = { 0 };
  g_autofree char *shadow = NULL;
  g_autofree char *table = NULL;
  g_autofree char *t_keys = NULL;
  g_autofree char *s_keys = NULL;
  g_autofree char *match = NULL;
  g_autofree char *mac = NULL;
  g_autofree char *sql = NULL;
  guint64 count;
  guint8 sum[ROW_MAC_LEN];
  int found;

  if (shape == NULL)
    {
      /* No such table: one that has a record was dropped outside
       * Veldwerk (a migration that drops a table drops its record). */
      if (error == NULL && read_state (self, name, &stored, &error) > 0)
        g_ptr_array_add (problems, g_strdup_printf (_("%s: the table was removed outside Veldwerk"), name));
      if (error != NULL)
        g_ptr_array_add (problems, g_strdup_printf ("%s: %s", name, error->message));
      g_free (stored.columns);
      return;
    }
  found = read_state (self, name, &stored, &error);
  if (found <= 0)
    {
      g_ptr_array_add (problems, found < 0 ? g_strdup_printf ("%s: %s", name, error->message)
                                           : g_strdup_printf (_("%s: its integrity record is missing"), name));
      return;
    }
  if (!stored.valid_length || !state_tag_valid (self, name, stored.columns, stored.state) ||
      memcmp (stored.state + STATE_VAULT_ID, self->vault_id, VW_VAULT_ID_LEN) != 0)
    g_ptr_array_add (problems, g_strdup_printf (_("%s: its integrity record was altered"), name));
  else if (!shadow_sum (self, name, &count, sum, &error))
    g_ptr_array_add (problems, g_strdup_printf ("%s: %s", name, error->message));
  else if (count != state_count (stored.state) || sodium_memcmp (sum, stored.state + STATE_SUM, ROW_MAC_LEN) != 0)
    g_ptr_array_add (problems, g_strdup_printf (_("%s: rows were removed or put back together with their "
                                                  "integrity records (%llu recorded, %llu expected)"),
                                                name, (unsigned long long) count,
                                                (unsigned long long) state_count (stored.state)));

  if (!columns_exist (shape, stored.columns))
    {
      g_ptr_array_add (problems, g_strdup_printf (_("%s: its columns were changed"), name));
      g_free (stored.columns);
      return;
    }
  shadow = shadow_name (name);
  table = quote_ident (name);
  t_keys = key_list (shape, "t");
  s_keys = key_list (shape, "s");
  match = key_match (shape, "s", "t", "=");
  mac = mac_expr (name, stored.columns, "t");

  /* Rows whose shadow is missing (added) or wrong (changed). */
  sql = g_strdup_printf ("SELECT s.mac IS NULL, %s FROM %s t LEFT JOIN %s s ON %s "
                         "WHERE s.mac IS NULL OR s.mac IS NOT %s",
                         t_keys, table, shadow, match, mac);
  report_rows (self, shape, sql, FALSE, problems);
  g_free (sql);
  /* Shadows whose row is missing: deleted. */
  sql = g_strdup_printf ("SELECT 0, %s FROM %s s WHERE NOT EXISTS (SELECT 1 FROM %s t WHERE %s)",
                         s_keys, shadow, table, match);
  report_rows (self, shape, sql, TRUE, problems);
  g_free (stored.columns);
}

/**
 * vw_vault_verify_integrity:
 *
 * Adds a line to @problems per row deleted, added or changed outside
 * Veldwerk, by table and primary key, and per table whose record was
 * altered or whose rows went with their records.
 */
void
vw_vault_verify_integrity (VwVault   *self,
                           GPtrArray *problems)
{
  if (self->schema_version < VW_SCHEMA_PADDED)
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (integrity_tables); i++)
    check_table (self, integrity_tables[i], problems);
}

/**
 * vw_vault_check_integrity:
 *
 * What an export, a report or a submission runs before it reads: every
 * row of the vault is where Veldwerk left it.
 *
 * Returns: %TRUE, or %FALSE with TAMPERED naming the first problem
 */
gboolean
vw_vault_check_integrity (VwVault  *self,
                          GError  **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  if (!vw_vault_require_unlocked (self, error))
    return FALSE;
  vw_vault_verify_integrity (self, problems);
  if (problems->len == 0)
    return TRUE;
  if (problems->len == 1)
    g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_TAMPERED,
                 _("The vault “%s” was damaged or changed outside Veldwerk, so nothing was read from it: %s"),
                 self->path, (const char *) g_ptr_array_index (problems, 0));
  else
    g_set_error (error, VW_VAULT_ERROR, VW_VAULT_ERROR_TAMPERED,
                 g_dngettext (GETTEXT_PACKAGE,
                              "The vault “%s” was damaged or changed outside Veldwerk, so nothing was read from "
                              "it: %s (and %u more problem, which verify lists)",
                              "The vault “%s” was damaged or changed outside Veldwerk, so nothing was read from "
                              "it: %s (and %u more problems, which verify lists)",
                              problems->len - 1),
                 self->path, (const char *) g_ptr_array_index (problems, 0), problems->len - 1);
  return FALSE;
}

/**
 * vw_vault_integrity_existing:
 *
 * Returns: (transfer full) (element-type utf8): the listed tables that
 * exist and have a record now; a migration step notes them before it runs
 */
GPtrArray *
vw_vault_integrity_existing (VwVault *self)
{
  GPtrArray *tables = g_ptr_array_new_with_free_func (g_free);

  if (self->schema_version < VW_SCHEMA_PADDED)
    return tables;
  for (gsize i = 0; i < G_N_ELEMENTS (integrity_tables); i++)
    {
      g_autoptr(Shape) shape = read_shape (self, integrity_tables[i], NULL);
      StoredState stored = { 0 };

      if (shape != NULL && read_state (self, integrity_tables[i], &stored, NULL) > 0)
        g_ptr_array_add (tables, g_strdup (integrity_tables[i]));
      g_free (stored.columns);
    }
  return tables;
}

/**
 * vw_vault_integrity_forget_dropped:
 * @before: what vw_vault_integrity_existing() gave before the step
 *
 * After a migration step, in its transaction: the records and shadow
 * tables of the tables in @before that the step dropped, so that a table
 * dropped by a migration is not reported as removed outside Veldwerk. A
 * table missing before the step is left reported.
 */
gboolean
vw_vault_integrity_forget_dropped (VwVault    *self,
                                   GPtrArray  *before,
                                   GError    **error)
{
  for (guint i = 0; i < before->len; i++)
    {
      const char *name = g_ptr_array_index (before, i);
      g_autoptr(GError) local = NULL;
      g_autoptr(Shape) shape = read_shape (self, name, &local);
      g_autofree char *shadow = NULL;
      g_autofree char *sql = NULL;
      g_autofree char *lit = NULL;

      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (shape != NULL)
        continue;
      shadow = shadow_name (name);
      lit = quote_literal (name);
      sql = g_strdup_printf ("DROP TABLE IF EXISTS %s; DELETE FROM vw_integrity WHERE tbl = %s", shadow, lit);
      if (!vw_vault_exec (self, sql, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * vw_vault_integrity_renew_epoch:
 *
 * Before a checkpoint, in the caller's transaction: the states get a new
 * epoch and remember the one before, so that a log is accepted only on
 * top of the file it was written for (see vw-vault-log.c).
 */
gboolean
vw_vault_integrity_renew_epoch (VwVault  *self,
                                GError  **error)
{
  guint8 epoch[VW_INTEGRITY_EPOCH_LEN];
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) states = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  int rc;

  randombytes_buf (epoch, sizeof epoch);
  rc = sqlite3_prepare_v2 (self->db, "SELECT tbl, state FROM vw_integrity", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return vw_vault_sql_error (self, rc, error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint8 state[STATE_LEN];

      if (sqlite3_column_bytes (stmt, 1) != STATE_LEN)
        continue;
      memcpy (state, sqlite3_column_blob (stmt, 1), STATE_LEN);
      memmove (state + STATE_PREV_EPOCH, state + STATE_EPOCH, VW_INTEGRITY_EPOCH_LEN);
      memcpy (state + STATE_EPOCH, epoch, VW_INTEGRITY_EPOCH_LEN);
      g_ptr_array_add (tables, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (states, g_bytes_new (state, sizeof state));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return vw_vault_sql_error (self, rc, error);

  rc = sqlite3_prepare_v2 (self->db, "UPDATE vw_integrity SET state = ? WHERE tbl = ?", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return vw_vault_sql_error (self, rc, error);
  for (guint i = 0; i < tables->len; i++)
    {
      gsize len;
      gconstpointer data = g_bytes_get_data (g_ptr_array_index (states, i), &len);

      sqlite3_reset (stmt);
      sqlite3_bind_blob (stmt, 1, data, len, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, g_ptr_array_index (tables, i), -1, SQLITE_STATIC);
      if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
        break;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE && tables->len > 0)
    return vw_vault_sql_error (self, rc, error);
  return TRUE;
}

/**
 * vw_integrity_state_guard:
 * @state: a state as stored, read without the key
 * @vault_id: (out): the vault it was written for
 * @epoch: (out): its epoch
 * @prev_epoch: (out): the epoch before
 *
 * Returns: %FALSE when @state is not a state
 */
gboolean
vw_integrity_state_guard (const guint8 *state,
                          gsize         len,
                          guint8       *vault_id,
                          guint8       *epoch,
                          guint8       *prev_epoch)
{
  if (len != STATE_LEN || state[0] != STATE_VERSION)
    return FALSE;
  memcpy (vault_id, state + STATE_VAULT_ID, VW_VAULT_ID_LEN);
  memcpy (epoch, state + STATE_EPOCH, VW_INTEGRITY_EPOCH_LEN);
  memcpy (prev_epoch, state + STATE_PREV_EPOCH, VW_INTEGRITY_EPOCH_LEN);
  return TRUE;
}
