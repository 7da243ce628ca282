/* vw-quote-dialog.c: a quote and its theme (see vw-quote-dialog.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vw-dialog.h"
#include "vw-quote-dialog.h"

struct _VwQuoteDialog
{
  AdwWindow    parent_instance;

  /* Template widgets */
  GtkLabel    *quote_label;
  AdwComboRow *theme_row;
  AdwEntryRow *other_row;
  GtkLabel    *message;

  /* Owned */
  char        *text;
  char        *question;
};

G_DEFINE_FINAL_TYPE (VwQuoteDialog, vw_quote_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_SAVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Stored names (Dutch, as the study's analyses use them) and labels. */
static const struct {
  const char *name;
  const char *label;
} themes[] = {
  { "wonen", N_("Housing") },
  { "opvang", N_("Shelter") },
  { "hulpverlening", N_("Support and services") },
  { "netwerk", N_("Network") },
  { "geld", N_("Money") },
  { "gezondheid", N_("Health") },
  { "dagbesteding", N_("Daytime activities") },
  { "ervaringsdeskundigheid", N_("Experience expertise") },
  { "toekomst", N_("Future") },
};

/* The last entry of the combo row: use the free text below it. */
#define OTHER_THEME G_N_ELEMENTS (themes)

char *
vw_quote_dialog_get_theme (VwQuoteDialog *self)
{
  guint selected;
  g_autofree char *other = NULL;

  g_return_val_if_fail (VW_IS_QUOTE_DIALOG (self), NULL);

  selected = adw_combo_row_get_selected (self->theme_row);
  if (selected < G_N_ELEMENTS (themes))
    return g_strdup (themes[selected].name);
  other = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->other_row))));
  return *other != '\0' ? g_steal_pointer (&other) : NULL;
}

void
vw_quote_dialog_set_theme (VwQuoteDialog *self,
                           const char    *theme)
{
  g_return_if_fail (VW_IS_QUOTE_DIALOG (self));

  for (guint i = 0; i < G_N_ELEMENTS (themes); i++)
    if (g_strcmp0 (themes[i].name, theme) == 0)
      {
        adw_combo_row_set_selected (self->theme_row, i);
        return;
      }
  adw_combo_row_set_selected (self->theme_row, OTHER_THEME);
  gtk_editable_set_text (GTK_EDITABLE (self->other_row), theme ? theme : "");
}

const char *
vw_quote_dialog_get_text (VwQuoteDialog *self)
{
  g_return_val_if_fail (VW_IS_QUOTE_DIALOG (self), NULL);

  return self->text;
}

const char *
vw_quote_dialog_get_question (VwQuoteDialog *self)
{
  g_return_val_if_fail (VW_IS_QUOTE_DIALOG (self), NULL);

  return self->question;
}

void
vw_quote_dialog_show_error (VwQuoteDialog *self,
                            const char    *message)
{
  g_return_if_fail (VW_IS_QUOTE_DIALOG (self));

  gtk_label_set_label (self->message, message);
  gtk_widget_set_visible (GTK_WIDGET (self->message), message != NULL);
}

static void
on_theme_selected (VwQuoteDialog *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->other_row),
                          adw_combo_row_get_selected (self->theme_row) == OTHER_THEME);
  /* "Choose a theme" no longer applies once one is chosen. */
  if (adw_combo_row_get_selected (self->theme_row) != OTHER_THEME)
    vw_quote_dialog_show_error (self, NULL);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  VwQuoteDialog *self = VW_QUOTE_DIALOG (widget);
  g_autofree char *theme = vw_quote_dialog_get_theme (self);

  if (theme == NULL)
    {
      vw_quote_dialog_show_error (self, _("Choose a theme or type one"));
      return;
    }
  g_signal_emit (self, signals[SIGNAL_SAVE], 0, theme);
}

/* Through close-request, so that a quote is not thrown away unasked. */
static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

/* The quote itself is what closing the dialog would lose. */
static gboolean
has_quote (GtkWindow *dialog)
{
  return TRUE;
}

static void
vw_quote_dialog_finalize (GObject *object)
{
  VwQuoteDialog *self = VW_QUOTE_DIALOG (object);

  g_free (self->text);
  g_free (self->question);

  G_OBJECT_CLASS (vw_quote_dialog_parent_class)->finalize (object);
}

static void
vw_quote_dialog_class_init (VwQuoteDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = vw_quote_dialog_finalize;

  /**
   * VwQuoteDialog::save:
   * @theme: the chosen theme
   */
  signals[SIGNAL_SAVE] =
    g_signal_new ("save", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/veldwerk/Veldwerk/vw-quote-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VwQuoteDialog, quote_label);
  gtk_widget_class_bind_template_child (widget_class, VwQuoteDialog, theme_row);
  gtk_widget_class_bind_template_child (widget_class, VwQuoteDialog, other_row);
  gtk_widget_class_bind_template_child (widget_class, VwQuoteDialog, message);
  gtk_widget_class_bind_template_callback (widget_class, on_theme_selected);

  gtk_widget_class_install_action (widget_class, "quote.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "quote.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "quote.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "quote.save", NULL);
}

static void
vw_quote_dialog_init (VwQuoteDialog *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (themes); i++)
    gtk_string_list_append (labels, _(themes[i].label));
  gtk_string_list_append (labels, _("Other…"));
  adw_combo_row_set_model (self->theme_row, G_LIST_MODEL (labels));
  on_theme_selected (self);
}

GtkWidget *
vw_quote_dialog_new (GtkWindow  *parent,
                     const char *text,
                     const char *question)
{
  VwQuoteDialog *self = g_object_new (VW_TYPE_QUOTE_DIALOG,
                                      "transient-for", parent,
                                      "modal", parent != NULL,
                                      NULL);
  g_autofree char *shown = g_strdup_printf ("“%s”", text);

  self->text = g_strdup (text);
  self->question = g_strdup (question);
  gtk_label_set_label (self->quote_label, shown);
  vw_dialog_start (GTK_WINDOW (self), NULL, GTK_WIDGET (self->theme_row));
  vw_dialog_confirm_discard (GTK_WINDOW (self), has_quote);
  return GTK_WIDGET (self);
}
