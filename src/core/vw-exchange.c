/* vw-exchange.c: writing submissions, round preparations and handovers.
 *
 * Every kind carries exchange rows (vw-exchange-private.h); the kinds
 * differ only in which participants and which row types go in, as the
 * table in vw-bundle.c lists. Rows are read through the vault's public
 * calls, so every value is decrypted and checked on the way out; contact
 * details are read only for a handover.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "vw-exchange.h"
#include "vw-exchange-private.h"
#include "vw-exchange-receipt-private.h"
#include "vw-study.h"
#include "vw-vault-aliases.h"
#include "vw-vault-contacts.h"
#include "vw-vault-tracing-private.h"
#include "vw-vault-private.h"

G_DEFINE_QUARK (vw-exchange-error-quark, vw_exchange_error)

void
vw_rows_put (GString            *out,
             char                type,
             guint               n_fields,
             const char * const *fields)
{
  g_string_append_c (out, type);
  for (guint i = 0; i < n_fields; i++)
    {
      const char *f = fields[i];

      g_string_append_c (out, '\t');
      if (f == NULL)
        {
          g_string_append (out, "\\N");
          continue;
        }
      for (; *f != '\0'; f++)
        switch (*f)
          {
          case '\\': g_string_append (out, "\\\\"); break;
          case '\t': g_string_append (out, "\\t"); break;
          case '\n': g_string_append (out, "\\n"); break;
          case '\r': g_string_append (out, "\\r"); break;
          default: g_string_append_c (out, *f); break;
          }
    }
  g_string_append_c (out, '\n');
}

int
vw_rows_split (char   *line,
               char   *type,
               char  **fields)
{
  char *r, *w;
  gboolean null_field = FALSE;
  int n = 0;

  if (line[0] == '\0' || (line[1] != '\t' && line[1] != '\0'))
    return -1;
  *type = line[0];
  if (line[1] == '\0')
    return 0;
  r = w = line + 2;
  fields[0] = w;
  for (;; r++)
    {
      if (*r == '\t' || *r == '\0')
        {
          gboolean end = *r == '\0';

          *w++ = '\0';
          if (null_field)
            fields[n] = NULL;
          null_field = FALSE;
          n++;
          if (end)
            return n;
          if (n >= VW_ROWS_MAX_FIELDS)
            return -1;
          fields[n] = w;
          continue;
        }
      if (*r != '\\')
        {
          *w++ = *r;
          continue;
        }
      switch (*++r)
        {
        case '\\': *w++ = '\\'; break;
        case 't': *w++ = '\t'; break;
        case 'n': *w++ = '\n'; break;
        case 'r': *w++ = '\r'; break;
        case 'N':
          /* Only a whole field may be \N. */
          if (w != fields[n] || (r[1] != '\t' && r[1] != '\0'))
            return -1;
          null_field = TRUE;
          break;
        default:
          return -1;
        }
    }
}

#define PUT(out, type, ...) \
  G_STMT_START { \
    const char *fields_[] = { __VA_ARGS__ }; \
    vw_rows_put (out, type, G_N_ELEMENTS (fields_), fields_); \
  } G_STMT_END

/* Every row goes out as this laptop's own: its device field is the `S`
 * row's id, and its revision is this laptop's change sequence of the row,
 * which is higher for every later write of it here, whoever made the
 * version (a relayed row from a handover or a round preparation is sent
 * as ours too). A receiver compares revisions only between versions of
 * the same device. */
typedef struct
{
  VwVault      *vault;
  const char   *study;
  VwBundleKind  kind;
  GHashTable   *codes;         /* nullable: every participant */
  gint64        since;         /* submissions: only rows whose seq is above; -1 for everything */
  gint64        since_audit;   /* the same for audit entries */
  const char   *only_round;    /* nullable: interviews of this round only */
  char         *device;        /* owned: this laptop's device id */
  GString      *out;
  GHashTable   *alias_codes;   /* nullable: round preparations: the aliases of these codes go along */
} Writer;

static gboolean
newer (const Writer *w,
       gint64        seq)
{
  return w->since < 0 || seq > w->since;
}

static char *
seq_text (gint64 seq)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, seq);
}

static gboolean
kind_has (VwBundleKind kind,
          char         type)
{
  return strchr (vw_bundle_kind_get_info (kind)->rows, type) != NULL;
}

static gboolean
write_values (Writer      *w,
              const char  *code,
              GError     **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (w->vault, "SELECT variable, value, revision, updated, seq "
                                                   "FROM participant_values WHERE study = ? AND code = ? "
                                                   "ORDER BY variable", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, w->study);
  vw_vault_bind_text (stmt, 2, code);
  while ((rc = vw_vault_step (w->vault, stmt, error)) == SQLITE_ROW)
    {
      g_autofree char *variable = vw_vault_column_text (stmt, 0);
      g_autofree char *updated = vw_vault_column_text (stmt, 3);
      g_autofree char *revision = seq_text (sqlite3_column_int64 (stmt, 4));
      VwValueRef ref = { "participant_values", "value", { w->study, code, variable }, sqlite3_column_int64 (stmt, 2) };
      g_autofree char *value = NULL;

      if (!newer (w, sqlite3_column_int64 (stmt, 4)))
        continue;
      if (!vw_vault_column_unseal (w->vault, stmt, 1, vw_vault_subkey (w->vault, VW_SUBKEY_PARTICIPANT), &ref,
                                   &value, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
      PUT (w->out, 'V', code, variable, value, revision, updated, w->device);
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

static gboolean
write_interview (Writer      *w,
                 VwInterview *iv,
                 GError     **error)
{
  g_autofree char *revision = seq_text (iv->seq);
  g_autoptr(GPtrArray) answers = NULL;
  g_autoptr(GPtrArray) notes = NULL;

  PUT (w->out, 'I', iv->id, iv->code, iv->round, iv->questionnaire_id, iv->questionnaire_version,
       iv->questionnaire_sha256, iv->status, iv->date, iv->nonresponse_reason,
       vw_interview_state_to_string (iv->state), iv->resume_module, iv->resume_question, iv->created, iv->updated,
       revision);

  if ((answers = vw_vault_list_answers (w->vault, iv->id, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < answers->len; i++)
    {
      VwAnswer *a = g_ptr_array_index (answers, i);
      g_autofree char *rev = seq_text (a->seq);

      if (newer (w, a->seq))
        PUT (w->out, 'A', iv->id, a->question, a->value, rev, a->updated, w->device);
    }
  if (!kind_has (w->kind, 'N'))
    return TRUE;
  if ((notes = vw_vault_list_notes (w->vault, iv->id, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < notes->len; i++)
    {
      VwNote *n = g_ptr_array_index (notes, i);
      g_autofree char *rev = seq_text (n->seq);

      if (newer (w, n->seq))
        PUT (w->out, 'N', iv->id, n->question ? n->question : "", n->text, rev, n->updated);
    }
  return TRUE;
}

static gboolean
write_participant (Writer        *w,
                   VwParticipant *p,
                   GError       **error)
{
  g_autofree char *revision = seq_text (p->seq);
  g_autofree char *linkage = vw_vault_get_linkage_hash (w->vault, w->study, p->code, error);
  g_autofree char *filter = linkage ? vw_vault_get_linkage_filter (w->vault, w->study, p->code, error) : NULL;
  g_autoptr(GPtrArray) interviews = NULL;
  g_autoptr(GPtrArray) episodes = NULL;
  g_autoptr(GPtrArray) consents = NULL;

  if (linkage == NULL || filter == NULL)
    return FALSE;
  /* Participants and interviews always go: they are small, and the rows
   * that hang off them must find them at the receiver. */
  PUT (w->out, 'P', p->code, p->pseudonym, p->region, *linkage ? linkage : NULL, p->created, p->updated, revision);
  /* The error-tolerant linkage encoding, set once like the hash. */
  if (*filter)
    PUT (w->out, 'B', p->code, filter);
  if (!write_values (w, p->code, error))
    return FALSE;

  if (kind_has (w->kind, 'K'))
    {
      g_autoptr(GError) local = NULL;
      g_autoptr(VwContact) c = vw_vault_get_contact (w->vault, w->study, p->code, &local);

      if (c != NULL)
        PUT (w->out, 'K', p->code, c->phone, c->usual_place, c->care_contact, c->real_name, c->remarks);
      /* No contact details at all is not an error: nothing to send. */
      else if (local != NULL && !g_error_matches (local, VW_VAULT_ERROR, VW_VAULT_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }

  if ((interviews = vw_vault_list_interviews (w->vault, w->study, p->code, w->only_round, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < interviews->len; i++)
    if (!write_interview (w, g_ptr_array_index (interviews, i), error))
      return FALSE;

  if (kind_has (w->kind, 'Q'))
    {
      g_autoptr(GPtrArray) quotes = vw_vault_list_quotes (w->vault, w->study, p->code, NULL, error);

      if (quotes == NULL)
        return FALSE;
      for (guint i = 0; i < quotes->len; i++)
        {
          VwQuote *q = g_ptr_array_index (quotes, i);
          g_autofree char *rev = seq_text (q->seq);

          if (newer (w, q->seq))
            PUT (w->out, 'Q', q->id, q->code, q->round, q->question, q->theme, q->text, q->created, q->updated, rev);
        }
    }

  if ((episodes = vw_vault_list_episodes (w->vault, w->study, p->code, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < episodes->len; i++)
    {
      VwEpisode *e = g_ptr_array_index (episodes, i);
      g_autofree char *rev = seq_text (e->seq);

      /* An episode recorded in an interview that does not travel would
       * point nowhere at the receiver. */
      if (newer (w, e->seq))
        PUT (w->out, 'E', e->id, e->code, e->start, e->end, e->residence,
             w->only_round ? NULL : e->interview, e->updated, rev);
    }

  /* Tracing: the count and outcome codes of each round's attempts, never
   * a note, a place, an appointment or a locator. */
  if (kind_has (w->kind, 'T'))
    {
      g_autoptr(GPtrArray) tallies = vw_vault_list_attempt_tallies (w->vault, w->study, p->code, w->only_round,
                                                                    error);

      if (tallies == NULL)
        return FALSE;
      for (guint i = 0; i < tallies->len; i++)
        {
          VwAttemptTally *t = g_ptr_array_index (tallies, i);
          g_autofree char *count = g_strdup_printf ("%u", t->count);
          g_autofree char *rev = seq_text (t->seq);

          if (newer (w, t->seq))
            PUT (w->out, 'T', p->code, t->round, count, t->outcomes, rev, w->device);
        }
    }

  if ((consents = vw_vault_list_consents (w->vault, w->study, p->code, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < consents->len; i++)
    {
      VwConsent *c = g_ptr_array_index (consents, i);
      g_autofree char *rev = seq_text (c->seq);

      if (newer (w, c->seq))
        PUT (w->out, 'C', c->code, c->round, c->purpose, c->value, c->date, c->updated, rev);
    }
  return TRUE;
}

static GBytes *
write_rows (Writer  *w,
            GError **error)
{
  g_autoptr(GPtrArray) participants = NULL;
  g_autoptr(GPtrArray) rounds = NULL;

  /* A bundle leaves nothing out: not a row deleted outside Veldwerk. */
  if (!vw_vault_check_integrity (w->vault, error))
    return NULL;
  w->out = g_string_new (VW_EXCHANGE_ROWS_MAGIC);
  g_string_append_printf (w->out, "\t%s\t", vw_bundle_kind_get_info (w->kind)->name);
  {
    const char *study[] = { w->study };
    GString *tmp = g_string_new (NULL);
    vw_rows_put (tmp, 'S', 1, study);
    /* The header line holds the study id escaped like a field. */
    g_string_append (w->out, tmp->str + 2);
    g_string_free (tmp, TRUE);
  }

  {
    g_autoptr(VwDevice) own = vw_vault_get_own_device (w->vault, error);

    if (own == NULL)
      goto fail;
    w->device = g_strdup (own->id);
    PUT (w->out, 'S', own->id);
  }

  if ((rounds = vw_vault_list_rounds (w->vault, w->study, error)) == NULL)
    goto fail;
  for (guint i = 0; i < rounds->len; i++)
    {
      VwRound *r = g_ptr_array_index (rounds, i);
      PUT (w->out, 'R', r->label, r->fieldwork_start, r->fieldwork_end);
    }

  if ((participants = vw_vault_list_participants (w->vault, w->study, error)) == NULL)
    goto fail;
  for (guint i = 0; i < participants->len; i++)
    {
      VwParticipant *p = g_ptr_array_index (participants, i);

      if (w->codes != NULL && !g_hash_table_remove (w->codes, p->code))
        continue;
      if (!write_participant (w, p, error))
        goto fail;
    }
  if (w->codes != NULL && g_hash_table_size (w->codes) > 0)
    {
      GHashTableIter iter;
      gpointer code;

      g_hash_table_iter_init (&iter, w->codes);
      g_hash_table_iter_next (&iter, &code, NULL);
      vw_vault_not_found (error, _("participant"), code);
      goto fail;
    }

  if (kind_has (w->kind, 'J') && w->alias_codes != NULL)
    {
      g_autoptr(GPtrArray) aliases = vw_vault_list_aliases (w->vault, w->study, error);

      if (aliases == NULL)
        goto fail;
      for (guint i = 0; i < aliases->len; i++)
        {
          VwAlias *a = g_ptr_array_index (aliases, i);

          /* Only the codes this laptop prepares for: another duo's joins
           * are none of its business. The reason stays here. */
          if (g_hash_table_contains (w->alias_codes, a->alias) || g_hash_table_contains (w->alias_codes, a->kept))
            PUT (w->out, 'J', a->alias, a->kept, a->joined);
        }
    }

  if (kind_has (w->kind, 'L'))
    {
      g_autoptr(GPtrArray) audit = vw_vault_list_audit (w->vault, error);

      if (audit == NULL)
        goto fail;
      for (guint i = 0; i < audit->len; i++)
        {
          VwAuditEntry *e = g_ptr_array_index (audit, i);
          g_autofree char *seq = g_strdup_printf ("%" G_GINT64_FORMAT, e->seq);

          if (w->since_audit < 0 || e->seq > w->since_audit)
            PUT (w->out, 'L', seq, e->timestamp, e->actor, e->action, e->object, e->detail);
        }
    }
  g_clear_pointer (&w->device, g_free);
  {
    gsize len = w->out->len;
    return g_bytes_new_take (g_string_free (w->out, FALSE), len);
  }

fail:
  g_clear_pointer (&w->device, g_free);
  g_string_free (w->out, TRUE);
  return NULL;
}

/* The rows and the sequence they were read at, in one read transaction:
 * a write made meanwhile on another connection (the interview screen saves
 * as the duo types) gets a higher seq, so the next submission sends it. */
static GBytes *
write_rows_at (Writer  *w,
               gint64  *seq,
               gint64  *audit,
               GError **error)
{
  gboolean own_tx = w->vault->tx_depth == 0;
  sqlite3_stmt *stmt;
  GBytes *content = NULL;

  if (own_tx && !vw_vault_exec (w->vault, "BEGIN", error))
    return NULL;
  stmt = vw_vault_prepare (w->vault, "SELECT (SELECT value FROM change_sequence WHERE id = 1), "
                                     "(SELECT coalesce (max (seq), 0) FROM audit)", error);
  if (stmt != NULL && vw_vault_step (w->vault, stmt, error) == SQLITE_ROW)
    {
      *seq = sqlite3_column_int64 (stmt, 0);
      *audit = sqlite3_column_int64 (stmt, 1);
      sqlite3_reset (stmt);
      content = write_rows (w, error);
    }
  if (own_tx)
    vw_vault_exec (w->vault, content != NULL ? "COMMIT" : "ROLLBACK", NULL);
  return content;
}

static gboolean
write_bundle (VwVault       *vault,
              Writer        *w,
              GPtrArray     *recipients,
              const char    *path,
              char         **bundle_id,
              gint64        *seq,
              gint64        *audit,
              GError       **error)
{
  g_autoptr(VwSecret) signing = vw_vault_dup_ed25519_secret (vault, error);
  g_autoptr(GBytes) content = NULL;
  gint64 unused_seq, unused_audit;
  gsize len;
  gboolean ok;

  if (signing == NULL ||
      (content = write_rows_at (w, seq ? seq : &unused_seq, audit ? audit : &unused_audit, error)) == NULL)
    return FALSE;
  ok = vw_bundle_write_bytes (path, w->kind, w->study, signing, recipients, content, bundle_id, NULL, error);
  /* The plaintext rows are personal data: wipe them. */
  len = g_bytes_get_size (content);
  sodium_memzero ((gpointer) g_bytes_get_data (content, NULL), len);
  return ok;
}

static GPtrArray *
parse_recipients (const char * const *texts,
                  GError            **error)
{
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_recipient_free);

  for (guint i = 0; texts[i] != NULL; i++)
    {
      VwAgeRecipient *r = vw_age_recipient_parse (texts[i], error);
      if (r == NULL)
        return NULL;
      g_ptr_array_add (recipients, r);
    }
  return g_steal_pointer (&recipients);
}

static GPtrArray *
device_recipients (VwVault     *vault,
                   const char  *study,
                   const char  *device,
                   char       **device_id,
                   GError     **error)
{
  g_autoptr(VwDevice) target = vw_study_find_device (vault, study, device, error);
  GPtrArray *recipients;

  if (target == NULL)
    return NULL;
  if (target->revoked_at != NULL)
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_NOT_ALLOWED,
                   _("The device “%s” was revoked on %s"), target->label, target->revoked_at);
      return NULL;
    }
  recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_age_recipient_free);
  g_ptr_array_add (recipients, vw_age_recipient_new_x25519 (target->x25519_public));
  *device_id = g_strdup (target->id);
  return recipients;
}

static GHashTable *
code_set (const char * const *codes)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; codes[i] != NULL; i++)
    g_hash_table_add (set, g_strdup (codes[i]));
  return set;
}

static gboolean
check_role (VwVault     *vault,
            const char  *study,
            VwStudyRole  role,
            GError     **error)
{
  g_autoptr(VwStudy) info = vw_vault_get_study (vault, study, error);

  if (info == NULL)
    return FALSE;
  if (info->role != role)
    {
      g_set_error_literal (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_NOT_ALLOWED,
                           role == VW_STUDY_ROLE_DUO ? _("Only a duo’s laptop makes submissions and handovers")
                                                     : _("Only the coordinator prepares rounds"));
      return FALSE;
    }
  return TRUE;
}

/* When this laptop last wrote a submission of @study (@when NULL:
 * never; shown to the duo, never compared), and the change sequence and
 * audit entry it had reached then (-1: send everything). */
static gboolean
last_submission (VwVault     *vault,
                 const char  *study,
                 char       **when,
                 gint64      *seq,
                 gint64      *audit,
                 GError     **error)
{
  sqlite3_stmt *stmt = vw_vault_prepare (vault, "SELECT last_submission, last_seq, last_audit FROM exchange_state "
                                                "WHERE study = ?", error);
  int rc;

  *seq = *audit = -1;
  if (stmt == NULL)
    return FALSE;
  vw_vault_bind_text (stmt, 1, study);
  if ((rc = vw_vault_step (vault, stmt, error)) == SQLITE_ROW)
    {
      if (when != NULL)
        *when = vw_vault_column_text (stmt, 0);
      if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
        *seq = sqlite3_column_int64 (stmt, 1);
      if (sqlite3_column_type (stmt, 2) != SQLITE_NULL)
        *audit = sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

void
vw_submission_summary_free (VwSubmissionSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->last_submission);
  g_free (summary);
}

/**
 * vw_exchange_submission_summary:
 *
 * Counts what a submission written now would carry, with the rules of
 * write_rows(): every participant and interview, the answers whose change
 * sequence is above the one the last submission reached. Counted in SQL
 * without decrypting a value, so that the dialog opens at once on a
 * laptop with years of interviews.
 */
VwSubmissionSummary *
vw_exchange_submission_summary (VwVault     *vault,
                                const char  *study,
                                gboolean     everything,
                                GError     **error)
{
  g_autoptr(VwSubmissionSummary) summary = g_new0 (VwSubmissionSummary, 1);
  gint64 since, since_audit;
  sqlite3_stmt *stmt;
  int rc;

  if (!vw_vault_require_unlocked (vault, error) || !check_role (vault, study, VW_STUDY_ROLE_DUO, error) ||
      !last_submission (vault, study, &summary->last_submission, &since, &since_audit, error))
    return NULL;
  stmt = vw_vault_prepare (vault, "SELECT (SELECT count(*) FROM participants WHERE study = ?1), "
                                  "(SELECT count(*) FROM interviews WHERE study = ?1), "
                                  "(SELECT count(*) FROM answers JOIN interviews ON answers.interview = interviews.id "
                                  " WHERE interviews.study = ?1 AND answers.seq > ?2)",
                           error);
  if (stmt == NULL)
    return NULL;
  vw_vault_bind_text (stmt, 1, study);
  sqlite3_bind_int64 (stmt, 2, everything ? -1 : since);
  if ((rc = vw_vault_step (vault, stmt, error)) == SQLITE_ROW)
    {
      summary->participants = sqlite3_column_int (stmt, 0);
      summary->interviews = sqlite3_column_int (stmt, 1);
      summary->answers = sqlite3_column_int (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return NULL;
  return g_steal_pointer (&summary);
}

/**
 * vw_exchange_write_submission:
 * @everything: %FALSE: only rows changed since the last submission
 *   (participants and interviews always go)
 *
 * Writes a submission for the study's coordinator recipients. Never
 * holds names or contact details.
 */
gboolean
vw_exchange_write_submission (VwVault     *vault,
                              const char  *study,
                              const char  *path,
                              gboolean     everything,
                              char       **bundle_id,
                              GError     **error)
{
  g_auto(GStrv) texts = NULL;
  g_autoptr(GPtrArray) recipients = NULL;
  g_autofree char *now = vw_vault_now ();
  g_autofree char *id = NULL;
  Writer w = { vault, study, VW_BUNDLE_KIND_SUBMISSION, NULL, -1, -1, NULL, NULL, NULL };
  gint64 sent_seq = 0, sent_audit = 0;
  sqlite3_stmt *stmt;

  if (!vw_vault_require_unlocked (vault, error) || !check_role (vault, study, VW_STUDY_ROLE_DUO, error) ||
      (texts = vw_study_list_recipients (vault, study, error)) == NULL)
    return FALSE;
  if (texts[0] == NULL)
    {
      g_set_error_literal (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_NOT_ALLOWED,
                           _("This study has no coordinator recipients: join it with an invitation first"));
      return FALSE;
    }
  if ((recipients = parse_recipients ((const char * const *) texts, error)) == NULL)
    return FALSE;

  if (!everything && !last_submission (vault, study, NULL, &w.since, &w.since_audit, error))
    return FALSE;

  if (!write_bundle (vault, &w, recipients, path, &id, &sent_seq, &sent_audit, error) ||
      !vw_vault_tx_begin (vault, error))
    return FALSE;
  stmt = vw_vault_prepare (vault, "INSERT OR REPLACE INTO exchange_state (study, last_submission, last_seq, "
                                  "last_audit) VALUES (?, ?, ?, ?)", error);
  if (stmt != NULL)
    {
      vw_vault_bind_text (stmt, 1, study);
      vw_vault_bind_text (stmt, 2, now);
      sqlite3_bind_int64 (stmt, 3, sent_seq);
      sqlite3_bind_int64 (stmt, 4, sent_audit);
    }
  if (!vw_vault_tx_finish (vault, stmt != NULL && vw_vault_step_done (vault, stmt, error) &&
                           vw_vault_audit_append (vault, "submission_written", study, id, error),
                           error))
    return FALSE;
  if (bundle_id != NULL)
    *bundle_id = g_steal_pointer (&id);
  return TRUE;
}

/* What the audit trail keeps of a round preparation, encrypted like
 * every audit detail: enough to show later who was prepared for which
 * round (vw_exchange_list_prepared()). */
static char *
preparation_detail (const char         *bundle_id,
                    const char         *study,
                    const char         *round,
                    const char * const *codes)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "bundle");
  json_builder_add_string_value (builder, bundle_id);
  json_builder_set_member_name (builder, "study");
  json_builder_add_string_value (builder, study);
  json_builder_set_member_name (builder, "round");
  json_builder_add_string_value (builder, round);
  json_builder_set_member_name (builder, "codes");
  json_builder_begin_array (builder);
  for (guint i = 0; codes != NULL && codes[i] != NULL; i++)
    if (g_hash_table_add (seen, (gpointer) codes[i]))
      json_builder_add_string_value (builder, codes[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

gboolean
vw_exchange_write_round_preparation (VwVault            *vault,
                                     const char         *study,
                                     const char         *device,
                                     const char         *round,
                                     const char * const *codes,
                                     const char         *path,
                                     GError            **error)
{
  g_autoptr(GHashTable) set = NULL;
  g_autoptr(GHashTable) alias_codes = NULL;
  g_autoptr(GPtrArray) resolved = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) recipients = NULL;
  g_autoptr(GPtrArray) rounds = NULL;
  g_autofree char *device_id = NULL;
  g_autofree char *id = NULL;
  g_autofree char *detail = NULL;
  const char *previous = NULL;
  Writer w = { vault, study, VW_BUNDLE_KIND_ROUND_PREPARATION, NULL, -1, -1, NULL, NULL, NULL };

  if (!vw_vault_require_unlocked (vault, error) || !check_role (vault, study, VW_STUDY_ROLE_COORDINATOR, error) ||
      (rounds = vw_vault_list_rounds (vault, study, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < rounds->len; i++)
    {
      VwRound *r = g_ptr_array_index (rounds, i);
      if (g_strcmp0 (r->label, round) == 0)
        {
          previous = i > 0 ? ((VwRound *) g_ptr_array_index (rounds, i - 1))->label : NULL;
          break;
        }
      if (i + 1 == rounds->len)
        return vw_vault_not_found (error, _("round"), round);
    }
  if (previous == NULL)
    {
      g_set_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_NOT_ALLOWED,
                   _("Round %s has no round before it to prepare from"), round);
      return FALSE;
    }
  if ((recipients = device_recipients (vault, study, device, &device_id, error)) == NULL)
    return FALSE;
  /* A joined code is prepared as its kept participant, and the alias goes
   * along, so that the duo's laptop shows the kept code. */
  alias_codes = code_set (codes);
  for (guint i = 0; codes != NULL && codes[i] != NULL; i++)
    {
      char *kept = vw_vault_resolve_code (vault, study, codes[i], error);

      if (kept == NULL)
        return FALSE;
      g_hash_table_add (alias_codes, kept);
      g_ptr_array_add (resolved, g_strdup (kept));
    }
  g_ptr_array_add (resolved, NULL);
  set = code_set ((const char * const *) resolved->pdata);
  w.codes = set;
  w.alias_codes = alias_codes;
  w.only_round = previous;
  if (!write_bundle (vault, &w, recipients, path, &id, NULL, NULL, error))
    return FALSE;
  detail = preparation_detail (id, study, round, codes);
  return vw_vault_record_preparation (vault, device_id, detail, error);
}

void
vw_prepared_free (VwPrepared *prepared)
{
  if (prepared == NULL)
    return;
  g_free (prepared->code);
  g_free (prepared->device);
  g_free (prepared->prepared);
  g_free (prepared);
}

GHashTable *
vw_exchange_list_prepared (VwVault     *vault,
                           const char  *study,
                           const char  *round,
                           GError     **error)
{
  /* A lookup in the index of schema 12, not a read of the audit trail. */
  return vw_vault_list_preparations (vault, study, round, error);
}

/**
 * vw_exchange_write_handover:
 *
 * Writes a handover of @codes, with contact details and every record, for
 * another enrolled duo laptop, and reads it back before anything is
 * recorded (see vw-exchange.h). Nobody leaves this laptop here: with
 * @remove_on_receipt the participants await the receiver's receipt.
 */
gboolean
vw_exchange_write_handover (VwVault            *vault,
                            const char         *study,
                            const char         *device,
                            const char * const *codes,
                            const char         *path,
                            gboolean            remove_on_receipt,
                            char              **bundle_id,
                            GError            **error)
{
  g_autoptr(GHashTable) set = NULL;
  g_autoptr(GPtrArray) recipients = NULL;
  g_autoptr(VwSecret) signing = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autofree char *device_id = NULL;
  g_autofree char *id = NULL;
  Writer w = { vault, study, VW_BUNDLE_KIND_HANDOVER, NULL, -1, -1, NULL, NULL, NULL };
  guint8 digest[crypto_hash_sha256_BYTES];
  char digest_hex[2 * crypto_hash_sha256_BYTES + 1];
  gboolean ok;

  if (!vw_vault_require_unlocked (vault, error) || !check_role (vault, study, VW_STUDY_ROLE_DUO, error) ||
      !vw_handover_check_codes (vault, study, codes, error) ||
      (recipients = device_recipients (vault, study, device, &device_id, error)) == NULL ||
      !vw_handover_add_own_recipient (vault, recipients, error) ||
      (signing = vw_vault_dup_ed25519_secret (vault, error)) == NULL)
    return FALSE;
  set = code_set (codes);
  w.codes = set;
  if ((content = write_rows (&w, error)) == NULL)
    return FALSE;
  /* What this laptop means to send: the file must read back as exactly
   * this content. */
  crypto_hash_sha256 (digest, g_bytes_get_data (content, NULL), g_bytes_get_size (content));
  sodium_bin2hex (digest_hex, sizeof digest_hex, digest, sizeof digest);
  ok = vw_bundle_write_bytes (path, w.kind, study, signing, recipients, content, &id, NULL, error);
  /* The plaintext rows are personal data: wipe them. */
  sodium_memzero ((gpointer) g_bytes_get_data (content, NULL), g_bytes_get_size (content));
  if (!ok || !vw_handover_verify_and_record (vault, study, device_id, codes, path, id, digest_hex,
                                             remove_on_receipt, error))
    return FALSE;
  if (bundle_id != NULL)
    *bundle_id = g_steal_pointer (&id);
  return TRUE;
}

typedef struct
{
  char     *path;      /* the vault's file */
  VwSecret *key;
  char     *study;
  char     *target;
  gboolean  everything;
} AsyncSubmission;

static void
async_submission_free (AsyncSubmission *d)
{
  g_free (d->path);
  g_clear_pointer (&d->key, vw_secret_free);
  g_free (d->study);
  g_free (d->target);
  g_free (d);
}

static void
submission_thread (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  AsyncSubmission *d = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VwVault) vault = vw_vault_open (d->path, &error);
  g_autofree char *id = NULL;
  gboolean ok;

  ok = vault != NULL && vw_vault_unlock_with_key (vault, d->key, &error) &&
       vw_exchange_write_submission (vault, d->study, d->target, d->everything, &id, &error);
  if (vault != NULL && !vw_vault_close (vault, ok ? &error : NULL))
    ok = FALSE;
  if (ok)
    g_task_return_pointer (task, g_steal_pointer (&id), g_free);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

void
vw_exchange_write_submission_async (VwVault             *vault,
                                    const char          *study,
                                    const char          *path,
                                    gboolean             everything,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (vault, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  AsyncSubmission *d;

  g_task_set_source_tag (task, vw_exchange_write_submission_async);
  if (!vw_vault_require_unlocked (vault, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  d = g_new0 (AsyncSubmission, 1);
  d->path = g_strdup (vw_vault_get_path (vault));
  d->key = vw_secret_dup (vault->key);
  d->study = g_strdup (study);
  d->target = g_strdup (path);
  d->everything = everything;
  g_task_set_task_data (task, d, (GDestroyNotify) async_submission_free);
  g_task_run_in_thread (task, submission_thread);
}

char *
vw_exchange_write_submission_finish (VwVault       *vault,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, vault), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
