/* vw-residence-editor.c: a list of stays (see vw-residence-editor.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-core.h"
#include "vw-vault-history.h"
#include "vw-a11y.h"
#include "vw-residence-editor.h"

struct _VwResidenceEditor
{
  GtkBox      parent_instance;

  /* Template widgets */
  GtkListBox *list;
  GtkLabel   *message;
  GtkButton  *add_button;

  /* Owned */
  char       *language;
  char       *message_text;
  GPtrArray  *rows;        /* of StayRow, in list order */
  guint       loading;
};

G_DEFINE_FINAL_TYPE (VwResidenceEditor, vw_residence_editor, GTK_TYPE_BOX)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  GtkWidget      *row;
  GtkDropDown    *residence;
  GtkEntry       *start;
  GtkEntry       *end;
  GtkCheckButton *still_there;
} StayRow;

static const VwCodeList *
residence_codes (void)
{
  return vw_codebook_get_code_list (vw_codebook_get_core (), "residence");
}

static void
update_message (VwResidenceEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = vw_residence_editor_get_value (self, &error);

  /* get_value() sets the message; show it with the right style. */
  gtk_label_set_label (self->message, self->message_text ? self->message_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message), self->message_text != NULL);
  if (error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->message), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->message), "error");
}

static void
on_stay_changed (VwResidenceEditor *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      StayRow *r = g_ptr_array_index (self->rows, i);
      gboolean open = gtk_check_button_get_active (r->still_there);

      gtk_widget_set_sensitive (GTK_WIDGET (r->end), !open);
    }
  update_message (self);
  if (self->loading == 0)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
on_remove_clicked (GtkButton         *button,
                   VwResidenceEditor *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      StayRow *r = g_ptr_array_index (self->rows, i);

      if (gtk_widget_is_ancestor (GTK_WIDGET (button), r->row))
        {
          vw_residence_editor_remove_stay (self, i);
          return;
        }
    }
}

static GtkWidget *
month_entry (const char *accessible_label)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("YYYY-MM"));
  gtk_entry_set_max_length (GTK_ENTRY (entry), 7);
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), 8);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_DIGITS);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label, -1);
  return entry;
}

GtkWidget *
vw_residence_editor_add_stay (VwResidenceEditor *self)
{
  const VwCodeList *codes = residence_codes ();
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  StayRow *r = g_new0 (StayRow, 1);
  GtkWidget *box, *line, *label, *remove;
  guint n = self->rows->len + 1;
  g_autofree char *title = g_strdup_printf (_("Stay %u"), n);

  g_return_val_if_fail (VW_IS_RESIDENCE_EDITOR (self), NULL);

  gtk_string_list_append (labels, _("Choose where…"));
  for (guint i = 0; i < vw_code_list_get_n_codes (codes); i++)
    gtk_string_list_append (labels, vw_code_get_label (vw_code_list_get_code (codes, i), self->language));

  /* Two lines, so long residence labels and large text still fit at
   * 1366 pixels: where on the first, the months on the second. */
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);
  line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_append (GTK_BOX (box), line);

  label = gtk_label_new (title);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_label_set_width_chars (GTK_LABEL (label), 9);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (line), label);

  r->residence = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&labels)), NULL));
  gtk_widget_set_hexpand (GTK_WIDGET (r->residence), TRUE);
  gtk_widget_set_halign (GTK_WIDGET (r->residence), GTK_ALIGN_START);
  vw_a11y_name_drop_down (r->residence, _("Where"));
  gtk_box_append (GTK_BOX (line), GTK_WIDGET (r->residence));

  remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, _("Remove this stay"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Remove this stay"), -1);
  gtk_box_append (GTK_BOX (line), remove);

  line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_append (GTK_BOX (box), line);
  label = gtk_label_new (NULL);
  gtk_label_set_width_chars (GTK_LABEL (label), 9);
  gtk_box_append (GTK_BOX (line), label);
  label = gtk_label_new (_("from"));
  gtk_box_append (GTK_BOX (line), label);
  r->start = GTK_ENTRY (month_entry (_("Start month")));
  gtk_box_append (GTK_BOX (line), GTK_WIDGET (r->start));
  label = gtk_label_new (_("until"));
  gtk_box_append (GTK_BOX (line), label);
  r->end = GTK_ENTRY (month_entry (_("End month")));
  gtk_box_append (GTK_BOX (line), GTK_WIDGET (r->end));
  r->still_there = GTK_CHECK_BUTTON (gtk_check_button_new_with_mnemonic (_("_Still there")));
  /* GTK 4.8 would read the underline out. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (r->still_there), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Still there"), -1);
  gtk_box_append (GTK_BOX (line), GTK_WIDGET (r->still_there));

  r->row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (r->row), FALSE);
  /* Its fields take the focus; the row itself would be a nameless stop. */
  gtk_widget_set_focusable (r->row, FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (r->row), box);
  gtk_list_box_append (self->list, r->row);
  g_ptr_array_add (self->rows, r);

  g_signal_connect_swapped (r->residence, "notify::selected", G_CALLBACK (on_stay_changed), self);
  g_signal_connect_swapped (r->start, "changed", G_CALLBACK (on_stay_changed), self);
  g_signal_connect_swapped (r->end, "changed", G_CALLBACK (on_stay_changed), self);
  g_signal_connect_swapped (r->still_there, "toggled", G_CALLBACK (on_stay_changed), self);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked), self);

  if (self->loading == 0)
    {
      gtk_widget_grab_focus (GTK_WIDGET (r->residence));
      on_stay_changed (self);
    }
  return r->row;
}

static void
on_add_clicked (VwResidenceEditor *self)
{
  vw_residence_editor_add_stay (self);
}

void
vw_residence_editor_set_stay (VwResidenceEditor *self,
                              guint              index,
                              const char        *residence,
                              const char        *start,
                              const char        *end)
{
  const VwCodeList *codes = residence_codes ();
  StayRow *r;
  guint selected = 0;

  g_return_if_fail (VW_IS_RESIDENCE_EDITOR (self));
  g_return_if_fail (index < self->rows->len);

  r = g_ptr_array_index (self->rows, index);
  for (guint i = 0; residence != NULL && i < vw_code_list_get_n_codes (codes); i++)
    if (g_strcmp0 (vw_code_get_code (vw_code_list_get_code (codes, i)), residence) == 0)
      selected = i + 1;

  self->loading++;
  gtk_drop_down_set_selected (r->residence, selected);
  gtk_editable_set_text (GTK_EDITABLE (r->start), start ? start : "");
  gtk_editable_set_text (GTK_EDITABLE (r->end), end ? end : "");
  gtk_check_button_set_active (r->still_there, end == NULL);
  self->loading--;
  on_stay_changed (self);
}

void
vw_residence_editor_remove_stay (VwResidenceEditor *self,
                                 guint              index)
{
  StayRow *r;

  g_return_if_fail (VW_IS_RESIDENCE_EDITOR (self));
  g_return_if_fail (index < self->rows->len);

  r = g_ptr_array_index (self->rows, index);
  gtk_list_box_remove (self->list, r->row);
  g_ptr_array_remove_index (self->rows, index);
  /* Keep the numbers in the rows' titles in order. */
  for (guint i = 0; i < self->rows->len; i++)
    {
      StayRow *other = g_ptr_array_index (self->rows, i);
      GtkWidget *box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (other->row));
      g_autofree char *title = g_strdup_printf (_("Stay %u"), i + 1);

      gtk_label_set_label (GTK_LABEL (gtk_widget_get_first_child (gtk_widget_get_first_child (box))), title);
    }
  on_stay_changed (self);
}

guint
vw_residence_editor_get_n_stays (VwResidenceEditor *self)
{
  g_return_val_if_fail (VW_IS_RESIDENCE_EDITOR (self), 0);

  return self->rows->len;
}

const char *
vw_residence_editor_get_message (VwResidenceEditor *self)
{
  g_return_val_if_fail (VW_IS_RESIDENCE_EDITOR (self), NULL);

  return self->message_text;
}

void
vw_residence_editor_set_value (VwResidenceEditor *self,
                               const char        *value)
{
  g_autoptr(GPtrArray) stays = NULL;

  g_return_if_fail (VW_IS_RESIDENCE_EDITOR (self));

  self->loading++;
  while (self->rows->len > 0)
    vw_residence_editor_remove_stay (self, self->rows->len - 1);
  stays = vw_history_parse (value, NULL);
  for (guint i = 0; stays != NULL && i < stays->len; i++)
    {
      VwHistoryStay *stay = g_ptr_array_index (stays, i);

      vw_residence_editor_add_stay (self);
      vw_residence_editor_set_stay (self, i, stay->residence, stay->start, stay->end);
    }
  self->loading--;
  update_message (self);
}

char *
vw_residence_editor_get_value (VwResidenceEditor  *self,
                               GError            **error)
{
  const VwCodeList *codes = residence_codes ();
  g_autoptr(GPtrArray) stays = g_ptr_array_new_with_free_func ((GDestroyNotify) vw_history_stay_free);
  g_autofree char *gaps = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (VW_IS_RESIDENCE_EDITOR (self), NULL);

  g_clear_pointer (&self->message_text, g_free);
  for (guint i = 0; i < self->rows->len; i++)
    {
      StayRow *r = g_ptr_array_index (self->rows, i);
      guint selected = gtk_drop_down_get_selected (r->residence);
      const char *code = selected > 0 && selected != GTK_INVALID_LIST_POSITION
                         ? vw_code_get_code (vw_code_list_get_code (codes, selected - 1)) : NULL;
      gboolean open = gtk_check_button_get_active (r->still_there);

      g_ptr_array_add (stays, vw_history_stay_new (code, gtk_editable_get_text (GTK_EDITABLE (r->start)),
                                                   open ? NULL : gtk_editable_get_text (GTK_EDITABLE (r->end))));
    }

  if (!vw_history_check (stays, &gaps, &local))
    {
      self->message_text = g_strdup (local->message);
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (gaps != NULL)
    /* Translators: %s lists the months between stays, e.g. "nothing is known about 2021-04". */
    self->message_text = g_strdup_printf (_("Check the gaps: %s."), gaps);

  return stays->len == 0 ? g_strdup ("") : vw_history_to_json (stays);
}

static void
vw_residence_editor_finalize (GObject *object)
{
  VwResidenceEditor *self = VW_RESIDENCE_EDITOR (object);

  g_free (self->language);
  g_free (self->message_text);
  g_ptr_array_unref (self->rows);

  G_OBJECT_CLASS (vw_residence_editor_parent_class)->finalize (object);
}

static void
vw_residence_editor_class_init (VwResidenceEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = vw_residence_editor_finalize;

  /**
   * VwResidenceEditor::changed:
   *
   * A stay was added, removed or edited by the user.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/veldwerk/Veldwerk/vw-residence-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, VwResidenceEditor, list);
  gtk_widget_class_bind_template_child (widget_class, VwResidenceEditor, message);
  gtk_widget_class_bind_template_child (widget_class, VwResidenceEditor, add_button);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked);
}

static void
vw_residence_editor_init (VwResidenceEditor *self)
{
  self->rows = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
vw_residence_editor_new (const char *language)
{
  VwResidenceEditor *self = g_object_new (VW_TYPE_RESIDENCE_EDITOR, NULL);

  self->language = g_strdup (language ? language : "en");
  return GTK_WIDGET (self);
}
