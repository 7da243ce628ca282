/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>

#include "vw-codebook.h"
#include "vw-resources.h"

struct _VwCode
{
  char       *code;
  char       *label_nl;
  char       *label_en;
  GHashTable *properties; /* owned: char* -> char*, e.g. "class" -> "F" */
};

struct _VwCodeList
{
  char       *name;
  GPtrArray  *codes;   /* owned, of VwCode */
  GHashTable *by_code; /* borrowed values from codes */
};

typedef struct
{
  GStrv columns;
  GStrv required;
} RecordFile;

struct _VwCodebook
{
  gatomicrefcount  ref_count;
  GArray          *variables;  /* of VwVariable, strings owned by strings */
  GHashTable      *var_index;  /* name -> index + 1 */
  GHashTable      *code_lists; /* name -> VwCodeList*, owned */
  GHashTable      *records;    /* file name -> RecordFile*, owned */
  GStringChunk    *strings;
  const char      *id;         /* in strings; "" when the file has none */
  const char      *version;
};

G_DEFINE_QUARK (vw-codebook-error-quark, vw_codebook_error)

static void
vw_code_free (VwCode *code)
{
  g_free (code->code);
  g_free (code->label_nl);
  g_free (code->label_en);
  g_hash_table_unref (code->properties);
  g_free (code);
}


void
vw_code_list_free (VwCodeList *list)
{
  if (list == NULL)
    return;
  g_free (list->name);
  g_ptr_array_unref (list->codes);
  g_hash_table_unref (list->by_code);
  g_free (list);
}

/**
 * vw_code_list_new:
 *
 * An empty code list, for code lists that questionnaires define next to
 * the codebook's.
 *
 * Returns: (transfer full): the list; free with vw_code_list_free()
 */
VwCodeList *
vw_code_list_new (const char *name)
{
  VwCodeList *list = g_new0 (VwCodeList, 1);

  list->name = g_strdup (name);
  list->codes = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_code_free);
  list->by_code = g_hash_table_new (g_str_hash, g_str_equal);
  return list;
}

static gboolean
code_list_take (VwCodeList *list,
                VwCode     *code)
{
  if (g_hash_table_contains (list->by_code, code->code))
    {
      vw_code_free (code);
      return FALSE;
    }
  g_ptr_array_add (list->codes, code);
  g_hash_table_insert (list->by_code, code->code, code);
  return TRUE;
}

static VwCode *
code_new (const char *code,
          const char *label_nl,
          const char *label_en)
{
  VwCode *self = g_new0 (VwCode, 1);

  self->code = g_strdup (code);
  self->label_nl = g_strdup (label_nl);
  self->label_en = g_strdup (label_en);
  self->properties = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

/**
 * vw_code_list_add:
 *
 * Appends a code with its Dutch and English labels.
 *
 * Returns: %FALSE, leaving @list unchanged, when @code is already in it
 */
gboolean
vw_code_list_add (VwCodeList *list,
                  const char *code,
                  const char *label_nl,
                  const char *label_en)
{
  g_return_val_if_fail (list != NULL && code != NULL, FALSE);

  return code_list_take (list, code_new (code, label_nl, label_en));
}

static void
record_file_free (RecordFile *file)
{
  g_strfreev (file->columns);
  g_strfreev (file->required);
  g_free (file);
}

static gboolean
read_label (JsonObject  *object,
            const char  *what,
            const char **nl,
            const char **en,
            GError     **error)
{
  JsonObject *label = json_object_has_member (object, "label")
                      ? json_object_get_object_member (object, "label") : NULL;

  if (label == NULL ||
      !json_object_has_member (label, "nl") || !json_object_has_member (label, "en"))
    {
      g_set_error (error, VW_CODEBOOK_ERROR, VW_CODEBOOK_ERROR_INVALID,
                   "Codebook entry “%s” lacks a Dutch and English label", what);
      return FALSE;
    }
  *nl = json_object_get_string_member (label, "nl");
  *en = json_object_get_string_member (label, "en");
  return *nl != NULL && *en != NULL;
}

static VwCodeList *
parse_code_list (const char  *name,
                 JsonArray   *array,
                 GError     **error)
{
  VwCodeList *list = vw_code_list_new (name);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      g_autoptr(GList) members = NULL;
      const char *nl, *en;
      VwCode *code;

      if (object == NULL || !json_object_has_member (object, "code") ||
          !read_label (object, name, &nl, &en, error))
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, VW_CODEBOOK_ERROR, VW_CODEBOOK_ERROR_INVALID,
                         "Code list “%s” has an entry without a code", name);
          vw_code_list_free (list);
          return NULL;
        }

      code = code_new (json_object_get_string_member (object, "code"), nl, en);

      members = json_object_get_members (object);
      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *node = json_object_get_member (object, l->data);
          char *value;

          if (g_str_equal (l->data, "code") || g_str_equal (l->data, "label") ||
              !JSON_NODE_HOLDS_VALUE (node))
            continue;
          if (json_node_get_value_type (node) == G_TYPE_INT64)
            value = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
          else
            value = g_strdup (json_node_get_string (node));
          g_hash_table_insert (code->properties, g_strdup (l->data), value);
        }

      if (!code_list_take (list, code))
        {
          g_set_error (error, VW_CODEBOOK_ERROR, VW_CODEBOOK_ERROR_INVALID,
                       "Code list “%s” has the code “%s” twice", name,
                       json_object_get_string_member (object, "code"));
          vw_code_list_free (list);
          return NULL;
        }
    }

  return list;
}

static gboolean
parse_variables (VwCodebook  *self,
                 JsonArray   *array,
                 gboolean     derived,
                 GError     **error)
{
  static const char *scopes[] = { "identifier", "participant", "round", "derived" };

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      VwVariable var = { 0 };
      const char *scope, *nl, *en;
      gboolean found = FALSE;

      var.name = g_string_chunk_insert_const (self->strings, json_object_get_string_member (object, "name"));
      scope = json_object_get_string_member (object, "scope");
      for (guint s = 0; s < G_N_ELEMENTS (scopes); s++)
        if (g_strcmp0 (scope, scopes[s]) == 0)
          {
            var.scope = s;
            found = TRUE;
          }
      if (!found || derived != (var.scope == VW_VARIABLE_SCOPE_DERIVED))
        {
          g_set_error (error, VW_CODEBOOK_ERROR, VW_CODEBOOK_ERROR_INVALID,
                       "Variable “%s” has an invalid scope", var.name);
          return FALSE;
        }
      if (!read_label (object, var.name, &nl, &en, error))
        return FALSE;
      var.label_nl = g_string_chunk_insert_const (self->strings, nl);
      var.label_en = g_string_chunk_insert_const (self->strings, en);
      var.type = g_string_chunk_insert_const (self->strings, json_object_get_string_member (object, "type"));
      /* A whole number has its range in the codebook ("minimum", "maximum"). */
      if (g_strcmp0 (var.type, "integer") == 0)
        {
          if (!json_object_has_member (object, "minimum") || !json_object_has_member (object, "maximum") ||
              json_object_get_int_member (object, "minimum") > json_object_get_int_member (object, "maximum"))
            {
              g_set_error (error, VW_CODEBOOK_ERROR, VW_CODEBOOK_ERROR_INVALID,
                           "Variable “%s” is an integer without a valid minimum and maximum", var.name);
              return FALSE;
            }
          var.minimum = json_object_get_int_member (object, "minimum");
          var.maximum = json_object_get_int_member (object, "maximum");
        }
      if (json_object_has_member (object, "codes") && !json_object_get_null_member (object, "codes"))
        {
          const char *codes = json_object_get_string_member (object, "codes");

          if (!g_hash_table_contains (self->code_lists, codes))
            {
              g_set_error (error, VW_CODEBOOK_ERROR, VW_CODEBOOK_ERROR_INVALID,
                           "Variable “%s” refers to the unknown code list “%s”", var.name, codes);
              return FALSE;
            }
          var.codes = g_string_chunk_insert_const (self->strings, codes);
        }

      g_array_append_val (self->variables, var);
      g_hash_table_insert (self->var_index, (gpointer) var.name, GUINT_TO_POINTER (self->variables->len));
    }

  return TRUE;
}

static GStrv
string_array (JsonArray *array)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    g_strv_builder_add (builder, json_array_get_string_element (array, i));

  return g_strv_builder_end (builder);
}

/**
 * vw_codebook_new_from_bytes:
 * @json: the codebook in the format of data/codebook/core.json
 *
 * Returns: (transfer full): the codebook, or %NULL with @error set
 */
VwCodebook *
vw_codebook_new_from_bytes (GBytes  *json,
                            GError **error)
{
  g_autoptr(VwCodebook) self = g_new0 (VwCodebook, 1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GList) lists = NULL;
  g_autoptr(GList) files = NULL;
  JsonObject *root, *code_lists, *records;
  gsize len;
  const char *data = g_bytes_get_data (json, &len);

  g_atomic_ref_count_init (&self->ref_count);
  self->variables = g_array_new (FALSE, TRUE, sizeof (VwVariable));
  self->var_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->code_lists = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                            (GDestroyNotify) vw_code_list_free);
  self->records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) record_file_free);
  self->strings = g_string_chunk_new (1024);

  if (!json_parser_load_from_data (parser, data, len, error))
    return NULL;
  root = json_node_get_object (json_parser_get_root (parser));
  if (root == NULL || !json_object_has_member (root, "codelists") ||
      !json_object_has_member (root, "variables"))
    {
      g_set_error_literal (error, VW_CODEBOOK_ERROR, VW_CODEBOOK_ERROR_INVALID,
                           "The codebook has no code lists or variables");
      return NULL;
    }
  self->id = g_string_chunk_insert (self->strings, json_object_get_string_member_with_default (root, "id", ""));
  self->version = g_string_chunk_insert (self->strings,
                                         json_object_get_string_member_with_default (root, "version", ""));

  code_lists = json_object_get_object_member (root, "codelists");
  lists = json_object_get_members (code_lists);
  for (GList *l = lists; l != NULL; l = l->next)
    {
      VwCodeList *list = parse_code_list (l->data, json_object_get_array_member (code_lists, l->data), error);
      if (list == NULL)
        return NULL;
      g_hash_table_insert (self->code_lists, list->name, list);
    }

  if (!parse_variables (self, json_object_get_array_member (root, "variables"), FALSE, error))
    return NULL;
  if (json_object_has_member (root, "derived") &&
      !parse_variables (self, json_object_get_array_member (root, "derived"), TRUE, error))
    return NULL;

  if (json_object_has_member (root, "records"))
    {
      records = json_object_get_object_member (root, "records");
      files = json_object_get_members (records);
      for (GList *l = files; l != NULL; l = l->next)
        {
          JsonObject *file = json_object_get_object_member (records, l->data);
          RecordFile *rf = g_new0 (RecordFile, 1);

          rf->columns = string_array (json_object_get_array_member (file, "columns"));
          rf->required = string_array (json_object_get_array_member (file, "required"));
          g_hash_table_insert (self->records, g_strdup (l->data), rf);
        }
    }

  return g_steal_pointer (&self);
}

VwCodebook *
vw_codebook_ref (VwCodebook *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
vw_codebook_unref (VwCodebook *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_array_unref (self->variables);
  g_hash_table_unref (self->var_index);
  g_hash_table_unref (self->code_lists);
  g_hash_table_unref (self->records);
  g_string_chunk_free (self->strings);
  g_free (self);
}

/**
 * vw_codebook_get_core:
 *
 * Returns: (transfer none): the codebook compiled into the core, loaded on
 * first use. It is checked by the test suite, so failing to load it is a
 * build defect and aborts.
 */
VwCodebook *
vw_codebook_get_core (void)
{
  static VwCodebook *core;

  if (g_once_init_enter (&core))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      VwCodebook *loaded;

      bytes = g_resource_lookup_data (vw_core_get_resource (), VW_RESOURCE_CORE_CODEBOOK,
                                      G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
      if (bytes == NULL)
        g_error ("The core codebook is missing from the build: %s", error->message);
      loaded = vw_codebook_new_from_bytes (bytes, &error);
      if (loaded == NULL)
        g_error ("The core codebook is invalid: %s", error->message);
      g_once_init_leave (&core, loaded);
    }

  return core;
}

const VwVariable *
vw_codebook_get_variable (VwCodebook *self,
                          const char *name)
{
  guint index;

  g_return_val_if_fail (self != NULL, NULL);

  index = GPOINTER_TO_UINT (g_hash_table_lookup (self->var_index, name));
  return index ? &g_array_index (self->variables, VwVariable, index - 1) : NULL;
}

/**
 * vw_codebook_get_variables:
 *
 * Returns: (array length=n_variables): every variable, the recorded ones
 * in codebook order, then the derived ones
 */
const VwVariable *
vw_codebook_get_variables (VwCodebook *self,
                           guint      *n_variables)
{
  g_return_val_if_fail (self != NULL, NULL);

  *n_variables = self->variables->len;
  return (const VwVariable *) (gpointer) self->variables->data;
}

const VwCodeList *
vw_codebook_get_code_list (VwCodebook *self,
                           const char *name)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_hash_table_lookup (self->code_lists, name);
}

/**
 * vw_codebook_get_record_columns:
 * @file: "participants.csv", "rounds.csv" or "episodes.csv"
 * @required: (out) (optional): the columns that must be present
 *
 * Returns: (nullable): the columns of a records file, in documented order
 */
const char * const *
vw_codebook_get_record_columns (VwCodebook          *self,
                                const char          *file,
                                const char * const **required)
{
  RecordFile *rf = g_hash_table_lookup (self->records, file);

  if (rf == NULL)
    return NULL;
  if (required != NULL)
    *required = (const char * const *) rf->required;
  return (const char * const *) rf->columns;
}

guint
vw_code_list_get_n_codes (const VwCodeList *list)
{
  return list->codes->len;
}

const VwCode *
vw_code_list_get_code (const VwCodeList *list,
                       guint             index)
{
  g_return_val_if_fail (index < list->codes->len, NULL);

  return g_ptr_array_index (list->codes, index);
}

const VwCode *
vw_code_list_lookup (const VwCodeList *list,
                     const char       *code)
{
  if (list == NULL || code == NULL)
    return NULL;

  return g_hash_table_lookup (list->by_code, code);
}

gboolean
vw_code_list_contains (const VwCodeList *list,
                       const char       *code)
{
  return vw_code_list_lookup (list, code) != NULL;
}

const char *
vw_code_list_get_name (const VwCodeList *list)
{
  return list->name;
}

const char *
vw_code_get_code (const VwCode *code)
{
  return code->code;
}

/* @language: "nl" or "en"; anything else gets English. */
const char *
vw_code_get_label (const VwCode *code,
                   const char   *language)
{
  return g_strcmp0 (language, "nl") == 0 ? code->label_nl : code->label_en;
}

const char *
vw_code_get_property (const VwCode *code,
                      const char   *key)
{
  return g_hash_table_lookup (code->properties, key);
}

int
vw_code_get_int_property (const VwCode *code,
                          const char   *key,
                          int           fallback)
{
  const char *value = vw_code_get_property (code, key);

  return value ? atoi (value) : fallback;
}

static const VwCode *
core_code (const char *list,
           const char *code)
{
  return vw_code_list_lookup (vw_codebook_get_code_list (vw_codebook_get_core (), list), code);
}

/**
 * vw_residence_class:
 *
 * Returns: 'F' (facility), 'H' (home), 'E' (elsewhere), 'U' (unknown), or
 * 0 when @residence is not a residence code
 */
char
vw_residence_class (const char *residence)
{
  const VwCode *code = core_code ("residence", residence);
  const char *cls = code ? vw_code_get_property (code, "class") : NULL;

  return cls ? cls[0] : 0;
}

/* Returns: the table roll-up (BW, MO, ZW, overig), or NULL for a
 * non-residence code. */
const char *
vw_residence_woonsituatie (const char *residence)
{
  const VwCode *code = core_code ("residence", residence);

  return code ? vw_code_get_property (code, "woonsituatie") : NULL;
}

/**
 * vw_participation_rollup:
 * @scheme: "dh" or "fl"
 *
 * Returns: the roll-up category of @participation; an empty or missing
 * value counts as "onbekend", as the tables of the codebook require
 */
const char *
vw_participation_rollup (const char *participation,
                         const char *scheme)
{
  const char *key = g_strcmp0 (scheme, "fl") == 0 ? "participation_fl" : "participation_dh";
  const VwCode *code;

  if (participation == NULL || *participation == '\0')
    return "onbekend";
  code = core_code ("participation", participation);
  return code ? vw_code_get_property (code, key) : NULL;
}

/**
 * vw_age_band:
 * @scheme: "dh" or "gv"
 *
 * Returns: the age band for someone born in @birth_year at an interview in
 * @year (age = year - birth_year), or NULL for an unknown scheme
 */
const char *
vw_age_band (int         birth_year,
             int         year,
             const char *scheme)
{
  g_autofree char *list_name = g_strconcat ("age_band_", scheme, NULL);
  const VwCodeList *list = vw_codebook_get_code_list (vw_codebook_get_core (), list_name);
  int age = year - birth_year;

  if (list == NULL)
    return NULL;

  for (guint i = 0; i < vw_code_list_get_n_codes (list); i++)
    {
      const VwCode *band = vw_code_list_get_code (list, i);

      if (age >= vw_code_get_int_property (band, "min", G_MININT) &&
          age <= vw_code_get_int_property (band, "max", G_MAXINT))
        return vw_code_get_code (band);
    }

  return NULL;
}

/* Returns: the codebook's id, as packages name it ("veldwerk-core") */
const char *
vw_codebook_get_id (VwCodebook *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->id;
}

/* Returns: the codebook's version: data made under different versions
 * are not pooled */
const char *
vw_codebook_get_version (VwCodebook *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->version;
}
