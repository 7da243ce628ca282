/* RFC 4180 reading with positions, and writing with minimal quoting.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vw-core.h"

/* Reads all of @text; returns the rows as "field|field" lines joined with
 * "\n", each field's line in brackets when it differs from the row's. */
static char *
read_all (const char  *text,
          GError     **error)
{
  g_autoptr(VwCsvReader) reader = vw_csv_reader_new ("test.csv", text, strlen (text));
  GString *out = g_string_new (NULL);

  while (vw_csv_reader_next (reader, error))
    {
      g_string_append_printf (out, "%u:", vw_csv_reader_get_line (reader));
      for (guint i = 0; i < vw_csv_reader_get_n_fields (reader); i++)
        {
          if (i > 0)
            g_string_append_c (out, '|');
          g_string_append (out, vw_csv_reader_get_field (reader, i));
          if (vw_csv_reader_get_field_line (reader, i) != vw_csv_reader_get_line (reader))
            g_string_append_printf (out, "[%u]", vw_csv_reader_get_field_line (reader, i));
        }
      g_string_append_c (out, '\n');
    }

  return g_string_free (out, FALSE);
}

static void
test_csv_read_basic (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *crlf = NULL, *lf = NULL, *bom = NULL, *no_eol = NULL;

  crlf = read_all ("a,b,c\r\n1,,3\r\n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crlf, ==, "1:a|b|c\n2:1||3\n");

  lf = read_all ("a,b\n\n\nx,y\n", &error);
  g_assert_no_error (error);
  /* Empty lines hold no record and are skipped; line numbers still count them. */
  g_assert_cmpstr (lf, ==, "1:a|b\n4:x|y\n");

  bom = read_all ("\xef\xbb\xbf" "code,round\nDH-7K3QM,T0", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bom, ==, "1:code|round\n2:DH-7K3QM|T0\n");

  /* An old Mac file: lone CRs end lines too. */
  no_eol = read_all ("a\rb\r", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (no_eol, ==, "1:a\n2:b\n");
}

static void
test_csv_read_quoted (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rows = NULL;

  rows = read_all ("\"a,b\",\"say \"\"hi\"\"\",\"\"\r\n"
                   "\"two\nlines\",x,\"three\r\nmore\nlines\"\r\n"
                   "last,\"ü\",end\n", &error);
  g_assert_no_error (error);
  /* Row 2 starts on line 2; its second and third fields start on line 3
   * (after the first field's line break); the third ends on line 5 (two
   * more breaks inside it), so row 3 is on line 6. */
  g_assert_cmpstr (rows, ==,
                   "1:a,b|say \"hi\"|\n"
                   "2:two\nlines|x[3]|three\r\nmore\nlines[3]\n"
                   "6:last|ü|end\n");
}

/* @problem: the message without its position, as callers that collect
 * problems get it; the error's message is "test.csv:LINE:COLUMN: problem". */
static void
expect_error (const char *text,
              int         code,
              guint       line,
              guint       column,
              const char *problem)
{
  g_autoptr(VwCsvReader) reader = vw_csv_reader_new ("test.csv", text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autofree char *message = g_strdup_printf ("test.csv:%u:%u: %s", line, column, problem);
  guint l = 0, c = 0;

  while (vw_csv_reader_next (reader, &error))
    ;
  g_assert_error (error, VW_CSV_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_cmpstr (vw_csv_reader_get_problem (reader, &l, &c), ==, problem);
  g_assert_cmpuint (l, ==, line);
  g_assert_cmpuint (c, ==, column);
  /* The reader stays at the end after an error. */
  g_assert_false (vw_csv_reader_next (reader, NULL));
}

static void
test_csv_read_errors (void)
{
  expect_error ("a,b\nx,y\"z,w\n", VW_CSV_ERROR_SYNTAX, 2, 2,
                "a quote inside a field that does not start with a quote (put the whole "
                "field in quotes and write the quote twice)");
  expect_error ("a,b\n\"x\"y,z\n", VW_CSV_ERROR_SYNTAX, 2, 1,
                "unexpected text after the closing quote of a field (a quote inside a "
                "quoted field is written as two quotes)");
  /* Reported where the open field starts, not at the end of the file. */
  expect_error ("a,b\nx,\"never closed\nmore\nlines\n", VW_CSV_ERROR_SYNTAX, 2, 2,
                "a quoted field is not closed before the end of the file");
  expect_error ("a,b\nx,caf\xe9\n", VW_CSV_ERROR_ENCODING, 2, 2,
                "the text is not valid UTF-8 (save the file as CSV UTF-8)");
  /* The closing quote's line, for a field that spans lines. */
  expect_error ("a\n\"x\ny\"z\n", VW_CSV_ERROR_SYNTAX, 3, 1,
                "unexpected text after the closing quote of a field (a quote inside a "
                "quoted field is written as two quotes)");
}

static void
test_csv_read_nul (void)
{
  const char text[] = "a,b\nx,y\0z\n";
  g_autoptr(VwCsvReader) reader = vw_csv_reader_new ("nul.csv", text, sizeof text - 1);
  g_autoptr(GError) error = NULL;

  g_assert_true (vw_csv_reader_next (reader, &error));
  g_assert_false (vw_csv_reader_next (reader, &error));
  g_assert_error (error, VW_CSV_ERROR, VW_CSV_ERROR_ENCODING);
  g_assert_cmpstr (error->message, ==, "nul.csv:2:2: the text is not valid UTF-8 (save the file as CSV UTF-8)");
}

static void
test_csv_write (void)
{
  const char *plain[] = { "DH-7K3QM", "T0", "", NULL, "a b" };
  const char *quoted[] = { "a,b", "say \"hi\"", "two\nlines", "cr\rx" };
  const char *lonely[] = { "" };
  g_autoptr(GString) out = g_string_new (NULL);

  vw_csv_append_row (out, plain, G_N_ELEMENTS (plain), "\r\n");
  vw_csv_append_row (out, quoted, G_N_ELEMENTS (quoted), "\n");
  /* One empty field must not become an empty line, which readers skip. */
  vw_csv_append_row (out, lonely, 1, "\n");
  g_assert_cmpstr (out->str, ==,
                   "DH-7K3QM,T0,,,a b\r\n"
                   "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rx\"\n"
                   "\"\"\n");
}

/* What the writer writes, the reader reads back to the same values. */
static void
test_csv_round_trip (void)
{
  const char *values[] = { "", "plain", " spaced ", "a,b", "\"", "\"\"", "x\r\ny", "\n", "é,\"ü\"", "\r" };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(VwCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    vw_csv_append_row (out, &values[i], 1, i % 2 ? "\n" : "\r\n");
  vw_csv_append_row (out, values, G_N_ELEMENTS (values), "\r\n");

  reader = vw_csv_reader_new ("trip.csv", out->str, out->len);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_assert_true (vw_csv_reader_next (reader, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (vw_csv_reader_get_n_fields (reader), ==, 1);
      g_assert_cmpstr (vw_csv_reader_get_field (reader, 0), ==, values[i]);
    }
  g_assert_true (vw_csv_reader_next (reader, &error));
  g_assert_cmpuint (vw_csv_reader_get_n_fields (reader), ==, G_N_ELEMENTS (values));
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_assert_cmpstr (vw_csv_reader_get_field (reader, i), ==, values[i]);
  g_assert_false (vw_csv_reader_next (reader, &error));
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/csv/read/basic", test_csv_read_basic);
  g_test_add_func ("/csv/read/quoted", test_csv_read_quoted);
  g_test_add_func ("/csv/read/errors", test_csv_read_errors);
  g_test_add_func ("/csv/read/nul", test_csv_read_nul);
  g_test_add_func ("/csv/write", test_csv_write);
  g_test_add_func ("/csv/round-trip", test_csv_round_trip);

  return g_test_run ();
}
