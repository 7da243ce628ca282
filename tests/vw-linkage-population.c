/* vw-linkage-population.c: a synthetic population for linkage quality.
 *
 * @people persons, drawn with a fixed seed from name pools of the
 * shelters' population: Dutch, Moroccan, Turkish and Surinamese (Creole,
 * Hindustani, Javanese) given names and surnames, a second given name for
 * a third of them, a particle ("van", "de", "van der", "el", ...) with
 * about a quarter of the surnames, a married double name for 8 %, and a
 * birth date between 1950 and 2005. A share @twice of them is enrolled a
 * second time, as another duo would type it, with one to three errors:
 * - a typo in one part: a letter inserted, deleted, substituted or two
 *   neighbours transposed;
 * - a spelling variant: another spelling of the same name from the pool
 *   (Mohamed/Mohammed/Muhammed, Yilmaz/Yılmaz, Jansen/Janssen, ...), or a
 *   rewrite ij/y, ou/au, ch/g, oe/u, a doubled or single letter;
 * - surname first, given names last;
 * - day and month swapped (when both can be a month), or one digit of
 *   the day off;
 * - a part missing: the second given name, the particle or the married
 *   name.
 * Every other person is enrolled once. Two records of one person are the
 * true pairs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vw-linkage-population.h"

#include <string.h>

#include "vw-linkage.h"

/* A name and its other spellings, separated by '|'. */
static const char * const given[] = {
  /* Dutch */
  "Jan|Jann", "Pieter|Piet", "Kees|Cees", "Johannes|Johan", "Hendrik|Henk|Hendrick", "Willem|Wim",
  "Gerrit|Gerit", "Dirk|Dirck", "Klaas|Claas", "Cornelis|Kornelis", "Anneke|Anneka", "Marijke|Marieke",
  "Ingrid|Ingrit", "Sanne|Sana", "Femke|Femka", "Lotte|Lot", "Bram|Braam", "Thijs|Tijs", "Daan|Dan",
  "Sem|Sam", "Ruud|Rud", "Joost|Jost", "Wouter|Wauter", "Erik|Eric", "Mark|Marc", "Anouk|Anoek",
  "Sjoerd|Sjurd", "Tineke|Tinneke", "Geert|Gert", "Henriette|Henriëtte", "Noor|Nor", "Floor|Flor",
  /* Moroccan */
  "Mohamed|Mohammed|Muhammed|Mohammad|Mohamad", "Ahmed|Achmed|Ahmad", "Youssef|Yousef|Yusuf|Joessef",
  "Fatima|Fatma|Fatiha", "Khadija|Khadidja|Chadija|Hadija", "Mustafa|Moustafa|Mustapha", "Said|Saïd|Saaid",
  "Abdelkader|Abdelkadir", "Rachid|Rashid|Rachied", "Hassan|Hasan", "Nadia|Nadja", "Karim|Kariem",
  "Samira|Samiera", "Mourad|Murad", "Hamid|Hamied", "Naima|Naïma", "Soufiane|Sofian|Soufian",
  "Bilal|Bilaal", "Ilham|Ilhame", "Latifa|Latiefa", "Driss|Dris", "Zakaria|Zakariya|Zakariae",
  /* Turkish */
  "Mehmet|Mehmed", "Ayşe|Ayse|Aise", "Emine|Emina", "Hüseyin|Huseyin|Hussein", "İbrahim|Ibrahim",
  "Özlem|Ozlem", "Gül|Gul", "Murat|Murad", "Cengiz|Cengis|Dzjengiz", "Şükrü|Sukru", "Yasemin|Jasemin",
  "Kemal|Kemaal", "Ömer|Omer", "Serkan|Serkaan", "Burak|Buraak", "Elif|Eliff",
  /* Surinamese */
  "Ramesh|Rames", "Sunita|Soenita", "Rajesh|Radjesh|Radjes", "Shanti|Santi|Shantie", "Ravi|Ravie",
  "Anjali|Andjali", "Priya|Prya", "Gerold|Gerald", "Marlon|Marlan", "Roy|Roj", "Shirley|Shirly",
  "Sharmila|Sarmila", "Wirjo|Wiryo", "Sukarni|Soekarni", "Ratna|Ratnah", "Errol|Erol",
};

static const char * const surnames[] = {
  /* Dutch */
  "Jansen|Janssen|Janse", "Bakker|Backer", "Visser|Vischer", "Smit|Smid|Smith", "Meijer|Meyer|Meier",
  "Mulder|Mulders", "Bos|Bosch", "Vos|Vosch", "Peters|Pieters", "Hendriks|Hendrikx|Hendrix",
  "Dekker|Decker", "Brouwer|Brauwer", "Dijkstra|Dykstra", "Koster|Kooster", "Schouten|Schauten",
  "Willems|Wilms", "Kuipers|Kuiper", "Groen|Groenen", "Huisman|Huysman", "Postma|Posthuma",
  "Vermeulen|Vermeule", "Hoekstra|Hoeksma", "Wijnands|Wynands", "Prins|Prince", "Kok|Kock",
  "Verhoeven|Verhoef", "Zwart|Swart", "Timmermans|Timmerman", "Gerritsen|Gerritse",
  /* Moroccan */
  "Amrani|Amrany", "Bouzid|Bousid|Bouzidi", "Haddouchi|Hadouchi|Haddoushi", "Chaouch|Chaoush",
  "Benali|Ben Ali", "Ouali|Wali|Ouali", "Ait Taleb|Aittaleb", "Bakkali|Bakali", "Tahiri|Taheri",
  "Azzouzi|Azouzi", "Boukhari|Bouchari|Bukhari", "Mansouri|Mansoury|Mansuri", "Lahlou|Lahlu",
  "Khattabi|Chattabi|Hattabi", "Ouaziz|Waziz", "Achahbar|Achahbhar", "Moussaoui|Moussaui|Musawi",
  "Ziani|Ziyani", "Fassi|Fasi", "Belhaj|Belhadj",
  /* Turkish */
  "Yılmaz|Yilmaz|Jilmaz", "Kaya|Kaja", "Demir|Demirr", "Şahin|Sahin", "Çelik|Celik|Tselik",
  "Yıldız|Yildiz", "Öztürk|Ozturk", "Aydın|Aydin", "Arslan|Aslan", "Doğan|Dogan", "Kılıç|Kilic",
  "Aslan|Arslaan", "Koç|Koc", "Kurt|Koert", "Özdemir|Ozdemir",
  /* Surinamese */
  "Ramdin|Ramdien", "Sewdien|Sewdin", "Baldewsingh|Baldewsing", "Ramautar|Ramaotar", "Jagessar|Jagesar",
  "Mohan|Mohaan", "Sitaram|Sietaram", "Biharie|Bihari", "Kartosen|Kartosemito", "Sardjoe|Sardju",
  "Pinas|Pinaz", "Wijngaarde|Wyngaarde", "Doelwijt|Dulwijt", "Karijo|Kariyo", "Amatdjais|Amatdjaïs",
  "Soerjadi|Surjadi", "Nijman|Nyman",
};

static const char * const particles[] = { "van", "de", "van der", "van den", "el", "ter", "van de" };

static const char * const rewrites[][2] = {
  { "ij", "y" }, { "y", "ij" }, { "ou", "au" }, { "au", "ou" }, { "ch", "g" }, { "g", "ch" },
  { "oe", "u" }, { "u", "oe" }, { "ss", "s" }, { "mm", "m" }, { "s", "ss" }, { "ie", "i" }, { "dj", "j" },
};

static char *
spelling (GRand             *rand,
          const char * const *pool,
          guint              n,
          guint             *which)
{
  g_auto(GStrv) forms = NULL;

  *which = (guint) g_rand_int_range (rand, 0, (gint32) n);
  forms = g_strsplit (pool[*which], "|", -1);
  return g_strdup (forms[0]);
}

static char *
variant (GRand             *rand,
         const char * const *pool,
         guint              which,
         const char        *current)
{
  g_auto(GStrv) forms = g_strsplit (pool[which], "|", -1);
  guint n = g_strv_length (forms);

  if (n > 1)
    return g_strdup (forms[g_rand_int_range (rand, 1, (gint32) n)]);
  return g_strdup (current);
}

typedef struct
{
  guint given, given2, surname, married;
  char *first, *second, *particle, *last, *married_name;
  guint year, month, day;
} Person;

static void
typo (GRand *rand,
      char **part)
{
  GString *s = g_string_new (*part);
  guint len = (guint) s->len;
  guint at = len > 2 ? (guint) g_rand_int_range (rand, 1, (gint32) len - 1) : 0;
  char letter = (char) ('a' + g_rand_int_range (rand, 0, 26));

  /* Only ASCII positions: a typo does not split a UTF-8 sequence. */
  if (len < 3 || (guchar) s->str[at] >= 0x80 || (guchar) s->str[at + 1] >= 0x80)
    {
      g_string_free (s, TRUE);
      return;
    }
  switch (g_rand_int_range (rand, 0, 4))
    {
    case 0: g_string_insert_c (s, at, letter); break;
    case 1: g_string_erase (s, at, 1); break;
    case 2: s->str[at] = letter; break;
    default:
      {
        char c = s->str[at];

        s->str[at] = s->str[at + 1];
        s->str[at + 1] = c;
      }
    }
  g_free (*part);
  *part = g_string_free (s, FALSE);
}

static void
rewrite (GRand *rand,
         char **part)
{
  for (guint tries = 0; tries < 8; tries++)
    {
      guint r = (guint) g_rand_int_range (rand, 0, G_N_ELEMENTS (rewrites));
      char *at = strstr (*part, rewrites[r][0]);

      if (at != NULL)
        {
          GString *s = g_string_new (*part);
          gsize off = (gsize) (at - *part);

          g_string_erase (s, (gssize) off, (gssize) strlen (rewrites[r][0]));
          g_string_insert (s, (gssize) off, rewrites[r][1]);
          g_free (*part);
          *part = g_string_free (s, FALSE);
          return;
        }
    }
}

static char *
full_name (Person  *p,
           gboolean surname_first)
{
  GString *s = g_string_new (NULL);
  g_autofree char *family = NULL;

  if (p->married_name != NULL)
    family = g_strdup_printf ("%s%s%s-%s", p->particle ? p->particle : "", p->particle ? " " : "", p->last,
                              p->married_name);
  else
    family = g_strdup_printf ("%s%s%s", p->particle ? p->particle : "", p->particle ? " " : "", p->last);
  if (surname_first)
    g_string_append_printf (s, "%s, ", family);
  g_string_append (s, p->first);
  if (p->second != NULL)
    g_string_append_printf (s, " %s", p->second);
  if (!surname_first)
    g_string_append_printf (s, " %s", family);
  return g_string_free (s, FALSE);
}

static void
record_free (gpointer data)
{
  VwLinkageRecord *r = data;

  g_free (r->name);
  g_free (r->birth_date);
  g_free (r);
}

static void
add (GPtrArray *records,
     Person    *p,
     guint      person,
     gboolean   surname_first)
{
  VwLinkageRecord *r = g_new0 (VwLinkageRecord, 1);

  r->name = full_name (p, surname_first);
  r->birth_date = g_strdup_printf ("%04u-%02u-%02u", p->year, p->month, p->day);
  r->person = person;
  g_ptr_array_add (records, r);
}

static void
person_clear (Person *p)
{
  g_free (p->first);
  g_free (p->second);
  g_free (p->particle);
  g_free (p->last);
  g_free (p->married_name);
}

/**
 * vw_linkage_population:
 *
 * Returns: (transfer full) (element-type VwLinkageRecord): the records,
 *   the second enrolments after all first ones
 */
GPtrArray *
vw_linkage_population (guint   people,
                       double  twice,
                       guint32 seed)
{
  GPtrArray *records = g_ptr_array_new_with_free_func (record_free);
  g_autoptr(GArray) persons = g_array_sized_new (FALSE, TRUE, sizeof (Person), people);
  GRand *rand = g_rand_new_with_seed (seed);
  guint twice_n = (guint) (people * twice + 0.5);

  for (guint i = 0; i < people; i++)
    {
      Person p = { 0 };

      p.first = spelling (rand, given, G_N_ELEMENTS (given), &p.given);
      if (g_rand_double (rand) < 0.33)
        p.second = spelling (rand, given, G_N_ELEMENTS (given), &p.given2);
      p.last = spelling (rand, surnames, G_N_ELEMENTS (surnames), &p.surname);
      if (g_rand_double (rand) < 0.25)
        p.particle = g_strdup (particles[g_rand_int_range (rand, 0, G_N_ELEMENTS (particles))]);
      if (g_rand_double (rand) < 0.08)
        {
          guint unused;

          p.married_name = spelling (rand, surnames, G_N_ELEMENTS (surnames), &unused);
        }
      p.year = (guint) g_rand_int_range (rand, 1950, 2006);
      p.month = (guint) g_rand_int_range (rand, 1, 13);
      p.day = (guint) g_rand_int_range (rand, 1, 29);
      g_array_append_val (persons, p);
      add (records, &p, i, FALSE);
    }
  for (guint i = 0; i < twice_n; i++)
    {
      Person *orig = &g_array_index (persons, Person, i * (people / MAX (twice_n, 1)));
      Person p = *orig;
      guint errors = (guint) g_rand_int_range (rand, 1, 4);
      gboolean swapped = FALSE;

      p.first = g_strdup (orig->first);
      p.second = g_strdup (orig->second);
      p.particle = g_strdup (orig->particle);
      p.last = g_strdup (orig->last);
      p.married_name = g_strdup (orig->married_name);
      for (guint e = 0; e < errors; e++)
        switch (g_rand_int_range (rand, 0, 6))
          {
          case 0:
            typo (rand, g_rand_boolean (rand) ? &p.first : &p.last);
            break;
          case 1:
            if (g_rand_boolean (rand))
              {
                char *v = variant (rand, given, p.given, p.first);

                g_free (p.first);
                p.first = v;
              }
            else
              {
                char *v = variant (rand, surnames, p.surname, p.last);

                g_free (p.last);
                p.last = v;
              }
            break;
          case 2:
            rewrite (rand, g_rand_boolean (rand) ? &p.first : &p.last);
            break;
          case 3:
            swapped = TRUE;
            break;
          case 4:
            if (p.day <= 12 && p.day != p.month)
              {
                guint d = p.day;

                p.day = p.month;
                p.month = d;
              }
            else
              p.day = p.day % 10 == 9 ? p.day - 1 : p.day + 1;
            break;
          default:
            if (p.second != NULL)
              g_clear_pointer (&p.second, g_free);
            else if (p.married_name != NULL)
              g_clear_pointer (&p.married_name, g_free);
            else if (p.particle != NULL)
              g_clear_pointer (&p.particle, g_free);
            else
              typo (rand, &p.last);
            break;
          }
      add (records, &p, i * (people / MAX (twice_n, 1)), swapped);
      person_clear (&p);
    }
  for (guint i = 0; i < people; i++)
    person_clear (&g_array_index (persons, Person, i));
  g_rand_free (rand);
  return records;
}

/* Encodes every record under a fixed key and measures the candidate list
 * at @threshold against the true pairs. */
void
vw_linkage_quality (GPtrArray        *records,
                    double            threshold,
                    VwLinkageQuality *out)
{
  g_autofree guint8 *filters = g_malloc ((gsize) records->len * VW_LINKAGE_FILTER_BYTES);
  g_autoptr(GHashTable) by_person = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) pairs = NULL;
  guint8 key[32];
  gint64 start;

  for (guint i = 0; i < sizeof key; i++)
    key[i] = (guint8) (0xa0 + i);
  memset (out, 0, sizeof *out);
  for (guint i = 0; i < records->len; i++)
    {
      VwLinkageRecord *r = g_ptr_array_index (records, i);

      g_assert_true (vw_linkage_encode (key, sizeof key, r->name, r->birth_date,
                                        filters + (gsize) i * VW_LINKAGE_FILTER_BYTES, NULL));
      if (g_hash_table_contains (by_person, GUINT_TO_POINTER (r->person + 1)))
        out->true_pairs++;
      else
        g_hash_table_add (by_person, GUINT_TO_POINTER (r->person + 1));
    }
  start = g_get_monotonic_time ();
  pairs = vw_linkage_candidates (filters, records->len, threshold);
  out->seconds = (g_get_monotonic_time () - start) / 1e6;
  out->candidates = pairs->len;
  for (guint i = 0; i < pairs->len; i++)
    {
      VwLinkagePair *p = &g_array_index (pairs, VwLinkagePair, i);
      VwLinkageRecord *a = g_ptr_array_index (records, p->a), *b = g_ptr_array_index (records, p->b);

      if (a->person == b->person)
        out->found++;
    }
  out->precision = out->candidates ? (double) out->found / out->candidates : 1.0;
  out->recall = out->true_pairs ? (double) out->found / out->true_pairs : 1.0;
}
