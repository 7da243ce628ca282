/* vw-age-open.c: the full STREAM chunks of a payload opened on two cores.
 *
 * Opening (ChaCha20-Poly1305) is most of the work of decrypting a file,
 * reading and writing the rest, and every chunk is opened on its own (its
 * nonce is its counter). The calling thread reads batches of chunks into
 * two buffers in turn and writes them out in order; a worker thread opens
 * chunks of the oldest batch, and the calling thread helps whenever it is
 * not reading or writing. So while one batch is read or written, the
 * other is being opened.
 *
 * Only full chunks are opened here, each as a non-final chunk: the first
 * chunk that does not authenticate as one, and a short last chunk, are
 * left to the caller's own, sequential rules (a full chunk may still be
 * the final one, or damaged), with what the caller needs to apply them:
 * see vw_age_open_stream().
 *
 * A chunk is opened in place in the two steps libsodium's AEAD takes
 * itself: the tag is checked first (decrypt_detached with no message
 * buffer only verifies), and only a chunk that authenticated is then
 * decrypted, with the ChaCha20 keystream from block 1 on (RFC 8439, 2.8).
 * A chunk that failed is left exactly as it was read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "vw-age-private.h"

#define BATCH_CHUNKS 4
#define BATCH_SIZE   (BATCH_CHUNKS * VW_AGE_ENC_CHUNK_SIZE)

typedef struct
{
  guint8   *data;     /* owned: BATCH_SIZE bytes */
  gsize     got;      /* bytes read into data */
  gboolean  last;     /* the source ended (or failed) in or right after this batch */
  guint     n;        /* full chunks */
  guint64   counter;  /* of chunk 0 */
  gboolean  published;
  guint     claimed;  /* chunks taken to be opened; under lock */
  guint     done;     /* of those, finished; under lock */
  guint     bad;      /* the first chunk that failed, or n; under lock */
} Batch;

/* Plain pthread locking rather than GMutex, whose futexes
 * ThreadSanitizer cannot see: this file is checked with it. */
typedef struct
{
  const guint8    *key;
  pthread_mutex_t  lock;
  pthread_cond_t   work;      /* chunks were published, or stopping */
  pthread_cond_t   done;      /* a chunk was finished */
  Batch            batches[2];
  Batch           *order[2];  /* oldest first; under lock */
  gboolean         failed;    /* a chunk failed: nothing more is claimed; under lock */
  gboolean         stopping;  /* under lock */
  GThread         *worker;
} Opener;

static gboolean
open_chunk (const guint8 *key,
            guint8       *chunk,
            guint64       counter)
{
  guint8 nonce[12];

  vw_age_stream_nonce (counter, FALSE, nonce);
  if (crypto_aead_chacha20poly1305_ietf_decrypt_detached (NULL, NULL, chunk, VW_AGE_CHUNK_SIZE,
                                                          chunk + VW_AGE_CHUNK_SIZE, NULL, 0,
                                                          nonce, key) != 0)
    return FALSE;
  crypto_stream_chacha20_ietf_xor_ic (chunk, chunk, VW_AGE_CHUNK_SIZE, nonce, 1, key);
  return TRUE;
}

/* Under lock: the next chunk to open, of @only or of the oldest batch
 * that has one; NULL if there is none. */
static Batch *
claim (Opener *o,
       Batch  *only,
       guint  *index)
{
  if (o->failed)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (o->order); i++)
    {
      Batch *b = o->order[i];

      if ((only == NULL || b == only) && b->published && b->claimed < b->n)
        {
          *index = b->claimed++;
          return b;
        }
    }
  return NULL;
}

/* Opens a claimed chunk, without the lock, and reports it under it. */
static void
open_claimed (Opener *o,
              Batch  *b,
              guint   i)
{
  gboolean ok;

  pthread_mutex_unlock (&o->lock);
  ok = open_chunk (o->key, b->data + (gsize) i * VW_AGE_ENC_CHUNK_SIZE, b->counter + i);
  pthread_mutex_lock (&o->lock);
  if (!ok)
    {
      b->bad = MIN (b->bad, i);
      o->failed = TRUE;
    }
  b->done++;
  pthread_cond_broadcast (&o->done);
}

static gpointer
worker_main (gpointer data)
{
  Opener *o = data;

  pthread_mutex_lock (&o->lock);
  for (;;)
    {
      Batch *b;
      guint i;

      while ((b = claim (o, NULL, &i)) == NULL && !o->stopping)
        pthread_cond_wait (&o->work, &o->lock);
      if (b == NULL)
        break;
      open_claimed (o, b, i);
    }
  pthread_mutex_unlock (&o->lock);
  return NULL;
}

/* Reads the rest of @b (after @have bytes already there); a read error
 * ends the input there and is kept in @src_error. */
static void
read_batch (Batch         *b,
            gsize          have,
            GInputStream  *src,
            GCancellable  *cancellable,
            GError       **src_error)
{
  gsize got = 0;

  if (!g_input_stream_read_all (src, b->data + have, BATCH_SIZE - have, &got, cancellable, src_error))
    b->last = TRUE;
  b->got = have + got;
  if (b->got < BATCH_SIZE)
    b->last = TRUE;
  b->n = b->got / VW_AGE_ENC_CHUNK_SIZE;
}

static void
publish (Opener  *o,
         Batch   *b,
         guint64  counter)
{
  if (o->worker == NULL && b->n > 1 && g_get_num_processors () > 1)
    o->worker = g_thread_new ("vw-age-open", worker_main, o);
  pthread_mutex_lock (&o->lock);
  b->counter = counter;
  b->claimed = b->done = 0;
  b->bad = b->n;
  b->published = TRUE;
  pthread_cond_broadcast (&o->work);
  pthread_mutex_unlock (&o->lock);
}

/* Opens @b's chunks with the worker until every chunk claimed is done;
 * returns how many authenticated from the first. */
static guint
finish_batch (Opener *o,
              Batch  *b)
{
  guint i, good;
  Batch *mine;

  pthread_mutex_lock (&o->lock);
  while ((mine = claim (o, b, &i)) != NULL)
    open_claimed (o, mine, i);
  while (b->done < b->claimed)
    pthread_cond_wait (&o->done, &o->lock);
  good = b->bad;
  b->published = FALSE;
  pthread_mutex_unlock (&o->lock);
  return good;
}

static gboolean
write_chunks (GOutputStream  *out,
              Batch          *b,
              guint           n,
              GCancellable   *cancellable,
              GError        **error)
{
  GOutputVector vectors[BATCH_CHUNKS];
  gsize written;

  for (guint i = 0; i < n; i++)
    {
      vectors[i].buffer = b->data + (gsize) i * VW_AGE_ENC_CHUNK_SIZE;
      vectors[i].size = VW_AGE_CHUNK_SIZE;
    }
  return n == 0 || g_output_stream_writev_all (out, vectors, n, &written, cancellable, error);
}

/* Appends up to @max bytes of @b from @from to the tail. */
static void
tail_append (guint8      *tail,
             gsize       *tail_len,
             const Batch *b,
             gsize        from,
             gsize        max)
{
  gsize len = from < b->got ? MIN (b->got - from, max) : 0;

  memcpy (tail + *tail_len, b->data + from, len);
  *tail_len += len;
}

/**
 * vw_age_open_stream:
 * @src: the payload after the bytes in @tail
 * @key: the payload key
 * @counter: (inout): the counter of the next chunk
 * @tail: (inout): a buffer of 2 * VW_AGE_ENC_CHUNK_SIZE bytes holding
 *   *@tail_len bytes of payload that come before @src
 * @eof: (out): whether @src is at its end
 * @src_error: (out): where reading @src failed, if it did
 *
 * Opens every full chunk that authenticates as a non-final chunk, from
 * the start, and writes its plaintext to @out in order. Stops at the
 * first full chunk that does not, or at the end of the input, and leaves
 * in @tail what the caller's sequential reader goes on with: that chunk,
 * as it was read, and at least one byte after it if the input had any
 * (without regard to what those bytes are); or the short last chunk. When
 * @src ended there, *@eof is %TRUE; when reading it failed there,
 * *@src_error is the error the reader is to report on reading further.
 *
 * Returns: %FALSE if writing failed (@error)
 */
gboolean
vw_age_open_stream (GInputStream   *src,
                    GOutputStream  *out,
                    const guint8   *key,
                    guint64        *counter,
                    guint8         *tail,
                    gsize          *tail_len,
                    gboolean       *eof,
                    GError        **src_error,
                    GCancellable   *cancellable,
                    GError        **error)
{
  Opener o = { .key = key };
  Batch *a, *b;
  gboolean ok = TRUE;

  pthread_mutex_init (&o.lock, NULL);
  pthread_cond_init (&o.work, NULL);
  pthread_cond_init (&o.done, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (o.batches); i++)
    {
      o.batches[i].data = g_malloc (BATCH_SIZE);
      o.order[i] = &o.batches[i];
    }
  a = o.order[0];
  b = o.order[1];

  memcpy (a->data, tail, *tail_len);
  read_batch (a, *tail_len, src, cancellable, src_error);
  publish (&o, a, *counter);
  *tail_len = 0;
  *eof = FALSE;

  for (;;)
    {
      guint good;

      /* Read the next batch while this one is opened. */
      b->got = b->n = 0;
      b->last = FALSE;
      if (!a->last)
        {
          read_batch (b, 0, src, cancellable, src_error);
          publish (&o, b, a->counter + a->n);
        }

      good = finish_batch (&o, a);
      *counter = a->counter + good;
      if (!write_chunks (out, a, good, cancellable, error))
        {
          ok = FALSE;
          break;
        }

      if (good < a->n)
        {
          /* The chunk that failed, and whether anything follows it. */
          tail_append (tail, tail_len, a, (gsize) good * VW_AGE_ENC_CHUNK_SIZE, VW_AGE_ENC_CHUNK_SIZE);
          tail_append (tail, tail_len, a, (gsize) (good + 1) * VW_AGE_ENC_CHUNK_SIZE, 1);
          if (*tail_len == VW_AGE_ENC_CHUNK_SIZE)
            tail_append (tail, tail_len, b, 0, 1);
          *eof = *tail_len > VW_AGE_ENC_CHUNK_SIZE || (a->last ? a : b)->last;
          break;
        }
      if (a->last)
        {
          tail_append (tail, tail_len, a, (gsize) a->n * VW_AGE_ENC_CHUNK_SIZE, VW_AGE_ENC_CHUNK_SIZE);
          *eof = TRUE;
          break;
        }
      /* The batch just written is the one to read into next. */
      pthread_mutex_lock (&o.lock);
      o.order[0] = b;
      o.order[1] = a;
      pthread_mutex_unlock (&o.lock);
      a = o.order[0];
      b = o.order[1];
    }

  /* Nothing is claimed any more; wait for what is being opened. */
  pthread_mutex_lock (&o.lock);
  o.failed = TRUE;
  o.stopping = TRUE;
  pthread_cond_broadcast (&o.work);
  for (guint i = 0; i < G_N_ELEMENTS (o.batches); i++)
    while (o.batches[i].done < o.batches[i].claimed)
      pthread_cond_wait (&o.done, &o.lock);
  pthread_mutex_unlock (&o.lock);
  if (o.worker != NULL)
    g_thread_join (o.worker);

  /* A read error that comes only after what the reader goes on with is
   * its to report, and an end it reaches first is an end. */
  if (*src_error != NULL && *eof && *tail_len > VW_AGE_ENC_CHUNK_SIZE)
    g_clear_error (src_error);
  if (*src_error != NULL)
    *eof = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (o.batches); i++)
    {
      sodium_memzero (o.batches[i].data, BATCH_SIZE);
      g_free (o.batches[i].data);
    }
  pthread_mutex_destroy (&o.lock);
  pthread_cond_destroy (&o.work);
  pthread_cond_destroy (&o.done);
  return ok;
}
