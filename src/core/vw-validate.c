/* vw-validate.c: one validator per stored thing (see vw-validate.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "vw-codebook.h"
#include "vw-questionnaire.h"
#include "vw-validate.h"

G_DEFINE_QUARK (vw-validate-error-quark, vw_validate_error)

/**
 * vw_validate_invalid:
 *
 * Sets a VW_VALIDATE_ERROR_INVALID "FIELD: problem": every message of a
 * validator names the field first.
 *
 * Returns: FALSE, so that a validator can return it
 */
gboolean
vw_validate_invalid (GError     **error,
                     const char  *field,
                     const char  *format,
                     ...)
{
  g_autofree char *problem = NULL;
  va_list args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);
  /* Translators: a field's name (as in the codebook, e.g. pseudonym), then
   * what is wrong with its value. */
  g_set_error (error, VW_VALIDATE_ERROR, VW_VALIDATE_ERROR_INVALID, _("%s: %s"), field, problem);
  return FALSE;
}

/* Shapes. */

static gboolean
digits_at (const char *text,
           gsize       len,
           int        *value)
{
  int v = 0;

  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      v = v * 10 + (text[i] - '0');
    }
  *value = v;
  return TRUE;
}

gboolean
vw_validate_parse_date (const char *text,
                        int        *year,
                        int        *month,
                        int        *day)
{
  int y, m, d;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-' || !digits_at (text, 4, &y) ||
      !digits_at (text + 5, 2, &m) || !digits_at (text + 8, 2, &d))
    return FALSE;
  if (y < VW_VALIDATE_YEAR_MIN || y > VW_VALIDATE_YEAR_MAX || !g_date_valid_dmy (d, m, y))
    return FALSE;
  *year = y;
  *month = m;
  *day = d;
  return TRUE;
}

gboolean
vw_validate_parse_month (const char *text,
                         int        *year,
                         int        *month)
{
  int y, m;

  if (text == NULL || strlen (text) != 7 || text[4] != '-' || !digits_at (text, 4, &y) ||
      !digits_at (text + 5, 2, &m))
    return FALSE;
  if (y < VW_VALIDATE_YEAR_MIN || y > VW_VALIDATE_YEAR_MAX || m < 1 || m > 12)
    return FALSE;
  *year = y;
  *month = m;
  return TRUE;
}

gboolean
vw_participant_code_is_valid (const char *code)
{
  gsize len = code != NULL ? strlen (code) : 0;
  gsize prefix = len - 6;

  if (len != 8 && len != 9)
    return FALSE;
  for (gsize i = 0; i < prefix; i++)
    if (code[i] < 'A' || code[i] > 'Z')
      return FALSE;
  if (code[prefix] != '-')
    return FALSE;
  for (gsize i = prefix + 1; i < len; i++)
    {
      char c = code[i];

      if (!g_ascii_isdigit (c) && (c < 'A' || c > 'Z' || c == 'I' || c == 'L' || c == 'O' || c == 'U'))
        return FALSE;
    }
  return TRUE;
}

/* Characters that reorder the text around them: embeddings, overrides and
 * isolates. A pseudonym with one prints as another name in a report. */
static gboolean
is_direction_control (gunichar c)
{
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F ||
         c == 0x061C;
}

char *
vw_validate_show (const char *value)
{
  g_autofree char *valid = NULL;
  GString *shown = g_string_new (NULL);
  const char *p;
  glong total, keep;
  gsize examined;

  if (value == NULL)
    return g_string_free (shown, FALSE);
  /* Only the start is looked at: a value of megabytes costs nothing. */
  examined = MIN (strlen (value), (VW_VALIDATE_SHOWN_MAX + 1) * 4);
  valid = g_utf8_make_valid (value, examined);
  total = g_utf8_strlen (valid, -1);
  if (strlen (value) > examined && total <= VW_VALIDATE_SHOWN_MAX)
    total = VW_VALIDATE_SHOWN_MAX + 1;
  /* A value cut keeps room for the ellipsis within the maximum. */
  keep = total > VW_VALIDATE_SHOWN_MAX ? VW_VALIDATE_SHOWN_MAX - 1 : total;
  p = valid;
  for (glong n = 0; n < keep; n++, p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n')
        g_string_append (shown, "\\n");
      else if (c == '\t')
        g_string_append (shown, "\\t");
      else if (c == '\r')
        g_string_append (shown, "\\r");
      else if (g_unichar_type (c) == G_UNICODE_CONTROL || g_unichar_type (c) == G_UNICODE_FORMAT)
        g_string_append_printf (shown, "\\u{%04X}", c);
      else
        g_string_append_unichar (shown, c);
    }
  if (keep < total)
    g_string_append (shown, "…");
  return g_string_free (shown, FALSE);
}

/* Today and the bounds derived from it, as YYYYMMDD. */
static int
date_key (int y,
          int m,
          int d)
{
  return y * 10000 + m * 100 + d;
}

/* An import checks hundreds of thousands of dates: the bounds are worked
 * out once a second, not once a date. */
G_LOCK_DEFINE_STATIC (bounds);

static int
today_plus (int days,
            int years)
{
  static gint64 second = -1;
  static int cached[2][2];       /* [days > 0][years > 0] */
  gint64 now_second = g_get_real_time () / G_USEC_PER_SEC;
  int key;

  g_return_val_if_fail ((days == 0 || days == VW_VALIDATE_FUTURE_DAYS) &&
                        (years == 0 || years == VW_VALIDATE_PLAN_YEARS), 0);

  G_LOCK (bounds);
  if (second != now_second)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      for (int d = 0; d < 2; d++)
        for (int y = 0; y < 2; y++)
          {
            g_autoptr(GDateTime) then = g_date_time_add_full (now, y ? VW_VALIDATE_PLAN_YEARS : 0, 0,
                                                              d ? VW_VALIDATE_FUTURE_DAYS : 0, 0, 0, 0);

            cached[d][y] = date_key (g_date_time_get_year (then), g_date_time_get_month (then),
                                     g_date_time_get_day_of_month (then));
          }
      second = now_second;
    }
  key = cached[days > 0][years > 0];
  G_UNLOCK (bounds);
  return key;
}

static char *
format_key (int key)
{
  return g_strdup_printf ("%04d-%02d-%02d", key / 10000, key / 100 % 100, key % 100);
}

static gboolean
date_in_years (const char  *field,
               const char  *value,
               int         *key,
               GError     **error)
{
  int y, m, d;
  g_autofree char *shown = NULL;

  if (vw_validate_parse_date (value, &y, &m, &d))
    {
      *key = date_key (y, m, d);
      return TRUE;
    }
  shown = vw_validate_show (value);
  if (strlen (value) == 10 && digits_at (value, 4, &y) && (y < VW_VALIDATE_YEAR_MIN || y > VW_VALIDATE_YEAR_MAX))
    return vw_validate_invalid (error, field, _("“%s” is outside the years %d to %d"), shown, VW_VALIDATE_YEAR_MIN,
                    VW_VALIDATE_YEAR_MAX);
  return vw_validate_invalid (error, field,
                  _("“%s” is not a date: write YYYY-MM-DD with a day that exists, e.g. 2021-03-15"), shown);
}

gboolean
vw_validate_date_is_future (int year,
                            int month,
                            int day)
{
  return date_key (year, month, day) > today_plus (VW_VALIDATE_FUTURE_DAYS, 0);
}

gboolean
vw_validate_month_is_future (int year,
                             int month)
{
  return year * 100 + month > today_plus (VW_VALIDATE_FUTURE_DAYS, 0) / 100;
}

gboolean
vw_validate_date (const char  *field,
                  const char  *value,
                  GError     **error)
{
  int key;

  if (value == NULL)
    return TRUE;
  if (!date_in_years (field, value, &key, error))
    return FALSE;
  if (vw_validate_date_is_future (key / 10000, key / 100 % 100, key % 100))
    {
      g_autofree char *today = format_key (today_plus (0, 0));
      return vw_validate_invalid (error, field, _("%s is in the future (today is %s)"), value, today);
    }
  return TRUE;
}

gboolean
vw_validate_month (const char  *field,
                   const char  *value,
                   GError     **error)
{
  g_autofree char *shown = NULL;
  int y, m;

  if (value == NULL)
    return TRUE;
  if (!vw_validate_parse_month (value, &y, &m))
    {
      shown = vw_validate_show (value);
      if (strlen (value) == 7 && digits_at (value, 4, &y) &&
          (y < VW_VALIDATE_YEAR_MIN || y > VW_VALIDATE_YEAR_MAX))
        return vw_validate_invalid (error, field, _("“%s” is outside the years %d to %d"), shown, VW_VALIDATE_YEAR_MIN,
                        VW_VALIDATE_YEAR_MAX);
      return vw_validate_invalid (error, field, _("“%s” is not a month: write YYYY-MM, e.g. 2021-03"), shown);
    }
  if (vw_validate_month_is_future (y, m))
    {
      int now = today_plus (0, 0) / 100;
      return vw_validate_invalid (error, field, _("%s is in the future (this month is %04d-%02d)"), value, now / 100,
                      now % 100);
    }
  return TRUE;
}

gboolean
vw_validate_birth_year (const char  *value,
                        GError     **error)
{
  int this_year = today_plus (0, 0) / 10000;
  int year = 0;

  if (value == NULL)
    return TRUE;
  if (strlen (value) != 4 || !digits_at (value, 4, &year) || year < VW_VALIDATE_YEAR_MIN || year > this_year)
    {
      g_autofree char *shown = vw_validate_show (value);
      return vw_validate_invalid (error, "birth_year", _("“%s” is not a year of birth: write four digits from %d to %d"),
                      shown, VW_VALIDATE_YEAR_MIN, this_year);
    }
  return TRUE;
}

/**
 * vw_validate_integer:
 *
 * A whole number of the codebook's type "integer": digits only (no sign,
 * blank or leading zero), from @minimum to @maximum; %NULL is "not
 * recorded".
 */
gboolean
vw_validate_integer (const char  *field,
                     const char  *value,
                     gint64       minimum,
                     gint64       maximum,
                     GError     **error)
{
  gsize len = value != NULL ? strlen (value) : 0;
  gint64 n = 0;
  gboolean ok = len > 0 && len <= 18 && !(len > 1 && value[0] == '0');

  if (value == NULL)
    return TRUE;
  for (gsize i = 0; ok && i < len; i++)
    {
      ok = g_ascii_isdigit (value[i]);
      n = n * 10 + (value[i] - '0');
    }
  if (!ok || n < minimum || n > maximum)
    {
      g_autofree char *shown = vw_validate_show (value);
      g_autofree char *from = g_strdup_printf ("%" G_GINT64_FORMAT, minimum);
      g_autofree char *to = g_strdup_printf ("%" G_GINT64_FORMAT, maximum);

      /* Translators: a value, then the smallest and the largest valid number. */
      return vw_validate_invalid (error, field, _("“%s” is not a whole number from %s to %s"), shown, from, to);
    }
  return TRUE;
}

gboolean
vw_validate_round_label (const char  *field,
                         const char  *value,
                         GError     **error)
{
  gsize len = value != NULL ? strlen (value) : 0;
  int n;

  if (len >= 2 && len <= 3 && value[0] == 'T' && digits_at (value + 1, len - 1, &n) &&
      !(len == 3 && value[1] == '0'))
    return TRUE;
  {
    g_autofree char *shown = vw_validate_show (value);
    return vw_validate_invalid (error, field, _("“%s” is not a round: write T0, T1, T2, …"), shown);
  }
}

gboolean
vw_validate_participant_code (const char  *field,
                              const char  *value,
                              GError     **error)
{
  g_autofree char *shown = NULL;

  if (vw_participant_code_is_valid (value))
    return TRUE;
  shown = vw_validate_show (value);
  return vw_validate_invalid (error, field,
                  _("“%s” is not a participant code: write the region, a dash and five characters of 0-9 "
                    "and A-Z without I, L, O and U, e.g. DH-7K3QM"), shown);
}

gboolean
vw_validate_required (const char  *field,
                      const char  *value,
                      GError     **error)
{
  return (value != NULL && *value != '\0') || vw_validate_invalid (error, field, _("a value is required"));
}

/* A name people read in reports (pseudonym, municipality): never quoted,
 * it may be personal. */
static gboolean
check_label (const char  *field,
             const char  *value,
             int          max_chars,
             GError     **error)
{
  gboolean visible = FALSE;
  glong chars = 0;
  gunichar first = 0, last = 0;

  if (!vw_validate_required (field, value, error))
    return FALSE;
  /* Refused before anything reads the whole of a huge value. */
  if (strlen (value) > (gsize) max_chars * 4)
    return vw_validate_invalid (error, field, _("is longer than %d characters"), max_chars);
  if (!g_utf8_validate (value, -1, NULL))
    return vw_validate_invalid (error, field, _("is not valid UTF-8 text"));

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (chars++ == 0)
        first = c;
      last = c;
      if (!g_unichar_isspace (c) && type != G_UNICODE_CONTROL && type != G_UNICODE_FORMAT)
        visible = TRUE;
    }
  if (chars > max_chars)
    return vw_validate_invalid (error, field, _("is longer than %d characters"), max_chars);
  if (!visible)
    return vw_validate_invalid (error, field, _("has no visible character"));

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (type == G_UNICODE_CONTROL || type == G_UNICODE_LINE_SEPARATOR || type == G_UNICODE_PARAGRAPH_SEPARATOR)
        return vw_validate_invalid (error, field, _("contains a line break, a tab or another control character"));
      if (is_direction_control (c))
        return vw_validate_invalid (error, field,
                        _("contains a character that changes the writing direction (U+%04X); type the text "
                          "without it"), c);
      if (type == G_UNICODE_FORMAT)
        return vw_validate_invalid (error, field, _("contains an invisible character (U+%04X); type the text without it"), c);
    }
  if (g_unichar_isspace (first))
    return vw_validate_invalid (error, field, _("starts with white space; remove it"));
  if (g_unichar_isspace (last))
    return vw_validate_invalid (error, field, _("ends with white space; remove it"));
  return TRUE;
}

gboolean
vw_validate_pseudonym (const char  *value,
                       GError     **error)
{
  return check_label ("pseudonym", value, VW_VALIDATE_PSEUDONYM_MAX, error);
}

gboolean
vw_validate_municipality (const char  *value,
                          GError     **error)
{
  return value == NULL || check_label ("municipality", value, VW_VALIDATE_MUNICIPALITY_MAX, error);
}

static char *
join_codes (const VwCodeList *list)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < vw_code_list_get_n_codes (list); i++)
    {
      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, vw_code_get_code (vw_code_list_get_code (list, i)));
    }
  return g_string_free (text, FALSE);
}

gboolean
vw_validate_region (const char          *value,
                    const char * const  *regions,
                    GError             **error)
{
  const VwCodeList *codebook = vw_codebook_get_code_list (vw_codebook_get_core (), "region");
  g_autofree char *shown = NULL;
  g_autofree char *allowed = NULL;

  if (!vw_validate_required ("region", value, error))
    return FALSE;
  if (regions == NULL ? vw_code_list_contains (codebook, value) : g_strv_contains (regions, value))
    return TRUE;
  shown = vw_validate_show (value);
  if (regions == NULL)
    {
      allowed = join_codes (codebook);
      return vw_validate_invalid (error, "region", _("“%s” is not a region of the codebook; the regions are: %s"), shown,
                      allowed);
    }
  allowed = g_strjoinv (", ", (char **) regions);
  return vw_validate_invalid (error, "region", _("“%s” is not a region of this study (%s); add it to the study first"),
                  shown, allowed);
}

gboolean
vw_validate_code (const char  *field,
                  const char  *list,
                  const char  *value,
                  GError     **error)
{
  const VwCodeList *codes = vw_codebook_get_code_list (vw_codebook_get_core (), list);
  g_autofree char *shown = NULL;
  g_autofree char *allowed = NULL;

  g_return_val_if_fail (codes != NULL, FALSE);

  if (value == NULL || vw_code_list_contains (codes, value))
    return TRUE;
  shown = vw_validate_show (value);
  allowed = join_codes (codes);
  return vw_validate_invalid (error, field, _("unknown code “%s”; the codes are: %s"), shown, allowed);
}

/* Question ids, variable names, module ids, themes: short ASCII names, so
 * they can be shown in errors and stay in clear without carrying content. */
gboolean
vw_validate_name (const char  *field,
                  const char  *value,
                  GError     **error)
{
  gsize len = value != NULL ? strlen (value) : 0;
  gboolean ok = len >= 1 && len <= VW_VALIDATE_NAME_MAX;

  for (gsize i = 0; ok && i < len; i++)
    ok = g_ascii_isalnum (value[i]) || value[i] == '_' || value[i] == '-' || value[i] == '.';
  if (ok)
    return TRUE;
  {
    g_autofree char *shown = vw_validate_show (value);
    return vw_validate_invalid (error, field, _("“%s” is not a name: use 1 to %d letters, digits, “_”, “-” and “.”"), shown,
                    VW_VALIDATE_NAME_MAX);
  }
}

gboolean
vw_validate_text (const char  *field,
                  const char  *value,
                  GError     **error)
{
  if (value == NULL)
    return TRUE;
  if (!g_utf8_validate (value, -1, NULL))
    return vw_validate_invalid (error, field, _("is not valid UTF-8 text"));
  if (strlen (value) > (gsize) VW_VALIDATE_TEXT_MAX * 4 || g_utf8_strlen (value, -1) > VW_VALIDATE_TEXT_MAX)
    return vw_validate_invalid (error, field, _("is longer than %d characters"), VW_VALIDATE_TEXT_MAX);
  return TRUE;
}

gboolean
vw_validate_fieldwork (const char  *round,
                       const char  *start,
                       const char  *end,
                       GError     **error)
{
  const char *fields[] = { "fieldwork_start", "fieldwork_end" };
  const char *values[] = { start, end };
  int keys[2] = { 0, 0 };
  int latest = today_plus (0, VW_VALIDATE_PLAN_YEARS);

  for (guint i = 0; i < 2; i++)
    {
      if (values[i] == NULL)
        continue;
      if (!date_in_years (fields[i], values[i], &keys[i], error))
        return FALSE;
      if (keys[i] > latest)
        return vw_validate_invalid (error, fields[i], _("%s is more than %d years ahead"), values[i], VW_VALIDATE_PLAN_YEARS);
    }
  if (start != NULL && end != NULL && keys[1] < keys[0])
    return vw_validate_invalid (error, "fieldwork_end", _("the fieldwork of round %s ends (%s) before it starts (%s)"),
                    round != NULL ? round : "", end, start);
  return TRUE;
}

static char *
window_text (const char *start,
             const char *end)
{
  if (start != NULL && end != NULL)
    /* Translators: a fieldwork window, from one date to another. */
    return g_strdup_printf (_("%s to %s"), start, end);
  if (start != NULL)
    return g_strdup_printf (_("from %s"), start);
  return g_strdup_printf (_("until %s"), end);
}

gboolean
vw_validate_interview_date (const char  *date,
                            const char  *round,
                            const char  *start,
                            const char  *end,
                            GError     **error)
{
  int key, start_key = 0, end_key = 0, y, m, d;
  g_autofree char *window = NULL;

  if (date == NULL)
    return TRUE;
  if (!date_in_years ("date", date, &key, error))
    return FALSE;
  /* A window the vault holds was checked when it was stored. */
  if (start != NULL && vw_validate_parse_date (start, &y, &m, &d))
    start_key = date_key (y, m, d);
  if (end != NULL && vw_validate_parse_date (end, &y, &m, &d))
    end_key = date_key (y, m, d);
  if ((start_key != 0 && key < start_key) || (end_key != 0 && key > end_key))
    {
      window = window_text (start_key != 0 ? start : NULL, end_key != 0 ? end : NULL);
      if (start_key != 0 && key < start_key)
        /* Translators: "2025-12-01 is before the fieldwork of T0 (2026-01-05 to 2026-03-27)" */
        return vw_validate_invalid (error, "date", _("%s is before the fieldwork of %s (%s)"), date, round, window);
      return vw_validate_invalid (error, "date", _("%s is after the fieldwork of %s (%s)"), date, round, window);
    }
  return vw_validate_date ("date", date, error);
}

gboolean
vw_validate_interview_state (const char  *value,
                             GError     **error)
{
  if (g_strcmp0 (value, "in_progress") == 0 || g_strcmp0 (value, "paused") == 0 ||
      g_strcmp0 (value, "finished") == 0)
    return TRUE;
  {
    g_autofree char *shown = vw_validate_show (value);
    return vw_validate_invalid (error, "state", _("“%s” is not an interview state (in_progress, paused, finished)"), shown);
  }
}

gboolean
vw_validate_episode (const char  *start,
                     const char  *end,
                     const char  *residence,
                     GError     **error)
{
  if (start == NULL)
    return vw_validate_invalid (error, "start", _("an episode needs a start month"));
  if (residence == NULL)
    return vw_validate_invalid (error, "residence", _("an episode needs a residence"));
  if (!vw_validate_month ("start", start, error) || !vw_validate_month ("end", end, error) ||
      !vw_validate_code ("residence", "residence", residence, error))
    return FALSE;
  /* Both are YYYY-MM now: text order is time order. */
  if (end != NULL && strcmp (end, start) < 0)
    return vw_validate_invalid (error, "end", _("the episode ends (%s) before it starts (%s)"), end, start);
  return TRUE;
}

gboolean
vw_validate_consent (const char  *purpose,
                     const char  *value,
                     const char  *date,
                     GError     **error)
{
  if (g_strcmp0 (purpose, "research") != 0 && g_strcmp0 (purpose, "wmo_linkage") != 0)
    {
      g_autofree char *shown = vw_validate_show (purpose);
      return vw_validate_invalid (error, "purpose", _("“%s” is not a consent purpose (research or wmo_linkage)"), shown);
    }
  return vw_validate_required ("value", value, error) && vw_validate_code ("value", "consent", value, error) &&
         vw_validate_date ("date", date, error);
}

/* A value of a codebook variable, by its type. */
static gboolean
check_codebook_value (const VwVariable  *var,
                      const char        *value,
                      GError           **error)
{
  if (var->codes != NULL)
    return vw_validate_code (var->name, var->codes, value, error);
  if (g_strcmp0 (var->type, "year") == 0)
    return vw_validate_birth_year (value, error);
  if (g_strcmp0 (var->type, "month") == 0)
    return vw_validate_month (var->name, value, error);
  if (g_strcmp0 (var->type, "date") == 0)
    return vw_validate_date (var->name, value, error);
  if (g_strcmp0 (var->type, "integer") == 0)
    return vw_validate_integer (var->name, value, var->minimum, var->maximum, error);
  if (g_str_equal (var->name, "municipality"))
    return vw_validate_municipality (value, error);
  return vw_validate_text (var->name, value, error);
}

static gboolean
check_question_value (const VwQuestion  *question,
                      const char        *value,
                      GError           **error)
{
  g_autoptr(GError) local = NULL;

  if (vw_question_validate_value (question, value, &local))
    return TRUE;
  return vw_validate_invalid (error, vw_question_get_id (question), "%s", local->message);
}

gboolean
vw_validate_participant_value (const char       *variable,
                               const char       *value,
                               VwQuestionnaire  *questionnaire,
                               GError          **error)
{
  const VwVariable *var;
  const VwQuestion *question = NULL;

  if (!vw_validate_name ("variable", variable, error))
    return FALSE;
  var = vw_codebook_get_variable (vw_codebook_get_core (), variable);
  if (var != NULL && var->scope != VW_VARIABLE_SCOPE_PARTICIPANT)
    return vw_validate_invalid (error, "variable", _("“%s” is not a participant variable that stays fixed over rounds"),
                    variable);
  if (var == NULL && questionnaire != NULL)
    question = vw_questionnaire_lookup_question (questionnaire, variable);
  if (var == NULL && (question == NULL || vw_question_get_scope (question) != VW_QUESTION_SCOPE_PARTICIPANT))
    return vw_validate_invalid (error, "variable",
                    _("“%s” is not a participant variable of the codebook or of the study’s questionnaire"),
                    variable);
  if (value == NULL)
    return TRUE;
  return var != NULL ? check_codebook_value (var, value, error) : check_question_value (question, value, error);
}

gboolean
vw_validate_answer (const char       *question,
                    const char       *value,
                    VwQuestionnaire  *questionnaire,
                    GError          **error)
{
  const VwQuestion *q = NULL;
  const VwVariable *var;

  if (!vw_validate_name ("question", question, error))
    return FALSE;
  if (value == NULL)
    return TRUE;
  if (questionnaire != NULL && (q = vw_questionnaire_lookup_question (questionnaire, question)) != NULL)
    return check_question_value (q, value, error);
  var = vw_codebook_get_variable (vw_codebook_get_core (), question);
  if (var != NULL && (var->scope == VW_VARIABLE_SCOPE_PARTICIPANT || var->scope == VW_VARIABLE_SCOPE_ROUND))
    return check_codebook_value (var, value, error);
  return vw_validate_text (question, value, error);
}
