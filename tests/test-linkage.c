/* test-linkage.c: the Bloom-filter encoding, its comparison and its
 * candidate pairs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sodium.h>
#include <string.h>

#include "vw-core.h"
#include "vw-linkage-population.h"

static void
fixed_key (guint8 *key,
           guint8  start)
{
  for (guint i = 0; i < 32; i++)
    key[i] = (guint8) (start + i);
}

static void
encode (const guint8 *key,
        const char   *name,
        const char   *date,
        guint8       *out)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vw_linkage_encode (key, 32, name, date, out, &error));
  g_assert_no_error (error);
}

static double
similarity (const char *name_a,
            const char *date_a,
            const char *name_b,
            const char *date_b)
{
  guint8 key[32], a[VW_LINKAGE_FILTER_BYTES], b[VW_LINKAGE_FILTER_BYTES];

  fixed_key (key, 1);
  encode (key, name_a, date_a, a);
  encode (key, name_b, date_b, b);
  return vw_linkage_dice (a, b);
}

static void
test_normalize (void)
{
  struct { const char *name, *parts; } cases[] = {
    { "Mohammed el-Amrani", "mohamed amrani" },
    { "  JANSSEN, Pieter ", "jansen piter" },
    { "Ayşe Yılmaz", "ayse yilmas" },
    { "Anouk van der Berg", "anuk berg" },
    { "Henriëtte de Vries-Dijkstra", "henrite vris dykstra" },
    { "van der", "van der" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GStrv) parts = vw_linkage_name_parts (cases[i].name);
      g_autofree char *joined = g_strjoinv (" ", parts);

      g_assert_cmpstr (joined, ==, cases[i].parts);
    }
}

/* Fixed key and identity give fixed bits: a change of the encoding (and
 * so of every stored filter's meaning) fails here. The expected text was
 * computed independently of this code, with Python's hashlib.blake2b
 * following the description in vw-linkage.c (key bytes 0..31; parts
 * "mohamed" and "amrani"; bigram tokens "N_m".."Ni_" with 10 bits each;
 * date tokens Y1985 28, YP1985-03-12 28, YM1985-03 20, P03-12 16, D12 10,
 * M03 10; positions from 16-bit little-endian chunks mod 2048; halves
 * XOR-folded). */
static void
test_known_answer (void)
{
  guint8 key[32], f[VW_LINKAGE_FILTER_BYTES];
  g_autofree char *text = NULL;

  fixed_key (key, 0);
  encode (key, "Mohamed El Amrani", "1985-03-12", f);
  text = vw_linkage_to_text (f);
  g_assert_cmpstr (text, ==,
                   "AMJhRY4gIAAwSoCBAAJgskHBUABIACCBQAilEQhBAYAAUGClAwQIgAABIKaCAJAIwAICQAgBQIMAyUACAGQDMAIFDI2gACYE"
                   "uAAAMpJEBMBAYgAAMCFjEIQIxCAEKIAIYhIAMGUkEAASwwFABAEAAhAAAAAgACHCroBEGgwQBeA=");
  /* The same person written otherwise gives the same bits. */
  encode (key, "AMRANI, Mohammed el", "1985-03-12", f);
  g_free (text);
  text = vw_linkage_to_text (f);
  g_assert_true (g_str_has_prefix (text, "AMJhRY4gIAAwSoCBAAJg"));
}

static void
test_similar_names (void)
{
  struct { const char *a, *da, *b, *db; } similar[] = {
    { "Mohamed El Amrani", "1985-03-12", "Mohammed Amrani", "1985-03-12" },
    { "Muhammed el Amrani", "1985-03-12", "Mohamed El-Amrani", "1985-12-03" },
    { "Ayşe Yılmaz", "1990-07-01", "Ayse Yilmaz", "1990-07-01" },
    { "Pieter Jansen", "1962-11-30", "Janssen, Pieter", "1962-11-30" },
    { "Anouk van der Berg", "1990-04-17", "Anoek Berg", "1990-04-17" },
    { "Sunita Ramdin", "1977-05-09", "Soenita Ramdien", "1977-09-05" },
    { "Marijke de Vries-Dijkstra", "1971-04-02", "Marijke Dykstra", "1971-04-02" },
    { "Khadija Bouzid", "1969-01-20", "Chadija Bousid", "1969-01-20" },
    { "Jan Willem Bakker", "1955-06-06", "Jan Bakker", "1955-06-06" },
  };
  struct { const char *a, *da, *b, *db; } unrelated[] = {
    { "Mohamed El Amrani", "1985-03-12", "Pieter Jansen", "1962-11-30" },
    { "Mohamed El Amrani", "1985-03-12", "Mohamed El Amrani", "1962-11-30" },
    { "Ayşe Yılmaz", "1990-07-01", "Ayse Kaya", "1971-02-01" },
    { "Sunita Ramdin", "1977-05-09", "Anouk van der Berg", "1977-05-09" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (similar); i++)
    {
      double d = similarity (similar[i].a, similar[i].da, similar[i].b, similar[i].db);

      g_test_message ("%s / %s: %.3f", similar[i].a, similar[i].b, d);
      g_assert_cmpfloat (d, >=, VW_LINKAGE_THRESHOLD);
    }
  for (guint i = 0; i < G_N_ELEMENTS (unrelated); i++)
    {
      double d = similarity (unrelated[i].a, unrelated[i].da, unrelated[i].b, unrelated[i].db);

      g_test_message ("%s / %s: %.3f", unrelated[i].a, unrelated[i].b, d);
      g_assert_cmpfloat (d, <, VW_LINKAGE_THRESHOLD);
    }
  g_assert_cmpfloat (similarity ("Tom de Vries", "1971-04-02", "tom DE vries", "1971-04-02"), ==, 1.0);
}

/* The coordinator's attacks: under another study's key the same person
 * gives an unrelated filter, and a filter does not hold the positions an
 * unkeyed encoding of its bigrams would set. */
static void
test_keyed (void)
{
  guint8 k1[32], k2[32], a[VW_LINKAGE_FILTER_BYTES], b[VW_LINKAGE_FILTER_BYTES];
  guint8 unkeyed[VW_LINKAGE_FILTER_BYTES];
  guint8 zero[32] = { 0 };

  fixed_key (k1, 1);
  fixed_key (k2, 2);
  encode (k1, "Mohamed El Amrani", "1985-03-12", a);
  encode (k2, "Mohamed El Amrani", "1985-03-12", b);
  g_assert_cmpfloat (vw_linkage_dice (a, b), <, 0.5);
  /* An attacker without the key encodes with a key of its own (here all
   * zeros, standing for any guess): its positions do not line up. */
  encode (zero, "Mohamed El Amrani", "1985-03-12", unkeyed);
  g_assert_cmpfloat (vw_linkage_dice (a, unkeyed), <, 0.5);
}

static void
test_text_strict (void)
{
  guint8 key[32], f[VW_LINKAGE_FILTER_BYTES], back[VW_LINKAGE_FILTER_BYTES];
  g_autofree char *text = NULL;
  const char *bad[] = { "", "AAAA", "not base64 at all" };

  fixed_key (key, 3);
  encode (key, "Sem Bos", "2001-01-01", f);
  text = vw_linkage_to_text (f);
  g_assert_cmpuint (strlen (text), ==, VW_LINKAGE_FILTER_TEXT_LEN);
  g_assert_true (vw_linkage_from_text (text, back, NULL));
  g_assert_cmpmem (f, sizeof f, back, sizeof back);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (vw_linkage_from_text (bad[i], back, &error));
      g_assert_error (error, VW_EXCHANGE_ERROR, VW_EXCHANGE_ERROR_FORMAT);
      g_assert_nonnull (strstr (error->message, "linkage_filter"));
    }
  {
    g_autofree char *longer = g_strconcat (text, "AAAA", NULL);
    g_autofree char *shorter = g_strndup (text, VW_LINKAGE_FILTER_TEXT_LEN - 4);
    g_autofree char *hexlike = g_strdup (text);

    g_assert_false (vw_linkage_from_text (longer, back, NULL));
    g_assert_false (vw_linkage_from_text (shorter, back, NULL));
    hexlike[10] = '!';
    g_assert_false (vw_linkage_from_text (hexlike, back, NULL));
    /* Non-canonical padding bits: "==" after a last character whose low
     * bits are not zero. */
    g_free (hexlike);
    hexlike = g_strdup (text);
    g_assert_cmpint (hexlike[VW_LINKAGE_FILTER_TEXT_LEN - 1], ==, '=');
    hexlike[VW_LINKAGE_FILTER_TEXT_LEN - 2] = hexlike[VW_LINKAGE_FILTER_TEXT_LEN - 2] == 'A' ? 'B' : 'A';
    g_assert_false (vw_linkage_from_text (hexlike, back, NULL));
  }
}

/* A regression in the encoding or the blocking fails here: precision and
 * recall of the candidate list on 1,000 people, 10 % enrolled twice. */
static void
test_quality (void)
{
  g_autoptr(GPtrArray) records = vw_linkage_population (1000, 0.10, 18);
  VwLinkageQuality q;

  vw_linkage_quality (records, VW_LINKAGE_THRESHOLD, &q);
  g_test_message ("%u candidates, %u true pairs, %u found: precision %.3f recall %.3f", q.candidates,
                  q.true_pairs, q.found, q.precision, q.recall);
  g_assert_cmpuint (q.true_pairs, ==, 100);
  g_assert_cmpfloat (q.precision, >=, 0.95);
  g_assert_cmpfloat (q.recall, >=, 0.95);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_assert_true (vw_core_init (NULL));
  g_test_add_func ("/linkage/normalize", test_normalize);
  g_test_add_func ("/linkage/known-answer", test_known_answer);
  g_test_add_func ("/linkage/similar", test_similar_names);
  g_test_add_func ("/linkage/keyed", test_keyed);
  g_test_add_func ("/linkage/text-strict", test_text_strict);
  g_test_add_func ("/linkage/quality", test_quality);
  return g_test_run ();
}
