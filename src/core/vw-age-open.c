/* vw-age-open.c: full STREAM chunks opened on two cores.
 *
 * Opening (ChaCha20-Poly1305) is nearly all the work of decrypting a
 * file and every chunk is opened on its own (its nonce is its counter),
 * so a run of chunks can be split between the calling thread and a worker
 * thread. The caller hands over only chunks that are full and followed by
 * more input: such a chunk must authenticate as "not the last one", so a
 * chunk that does not is where the caller's own, sequential rules take
 * over (they may still find it to be a final chunk followed by stray data,
 * and they name the failure). See vw_age_opener_copy().
 *
 * A chunk is opened in place in the two steps libsodium's AEAD takes
 * itself: the tag is checked first (decrypt_detached with no message
 * buffer only verifies), and only a chunk that authenticated is then
 * decrypted, with the ChaCha20 keystream from block 1 on (RFC 8439, 2.8).
 * A chunk that failed is left exactly as it was read, without the copy a
 * separate output buffer would cost.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "vw-age-private.h"

/* Plain pthread locking rather than GMutex, whose futexes
 * ThreadSanitizer cannot see: this file is checked with it. */
struct _VwAgeOpener
{
  const guint8    *key;
  pthread_mutex_t  lock;
  pthread_cond_t   work;        /* a job was posted, or stopping */
  pthread_cond_t   done;        /* the job was finished */
  GThread         *worker;      /* NULL on a single core */

  /* The worker's job, under lock. */
  guint8          *chunks;
  guint64          counter;
  guint            n;
  guint            result;      /* how many of the n authenticated, from the first */
  gboolean         posted;
  gboolean         stopping;
};

/* Opens @n chunks as non-final; returns how many authenticated before
 * the first that did not. */
static guint
open_run (const guint8 *key,
          guint8       *chunks,
          guint         n,
          guint64       counter)
{
  for (guint i = 0; i < n; i++)
    {
      guint8 *chunk = chunks + (gsize) i * VW_AGE_ENC_CHUNK_SIZE;
      guint8 nonce[12];

      vw_age_stream_nonce (counter + i, FALSE, nonce);
      if (crypto_aead_chacha20poly1305_ietf_decrypt_detached (NULL, NULL, chunk, VW_AGE_CHUNK_SIZE,
                                                              chunk + VW_AGE_CHUNK_SIZE, NULL, 0,
                                                              nonce, key) != 0)
        return i;
      crypto_stream_chacha20_ietf_xor_ic (chunk, chunk, VW_AGE_CHUNK_SIZE, nonce, 1, key);
    }
  return n;
}

static gpointer
worker_main (gpointer data)
{
  VwAgeOpener *self = data;

  pthread_mutex_lock (&self->lock);
  for (;;)
    {
      guint result;

      while (!self->posted && !self->stopping)
        pthread_cond_wait (&self->work, &self->lock);
      if (!self->posted)
        break;
      pthread_mutex_unlock (&self->lock);

      result = open_run (self->key, self->chunks, self->n, self->counter);

      pthread_mutex_lock (&self->lock);
      self->result = result;
      self->posted = FALSE;
      pthread_cond_signal (&self->done);
    }
  pthread_mutex_unlock (&self->lock);
  return NULL;
}

/**
 * vw_age_opener_new:
 * @key: the payload key, kept by the caller until vw_age_opener_free()
 *
 * Returns: (transfer full): an opener, with a worker thread if this
 *   machine has more than one core
 */
VwAgeOpener *
vw_age_opener_new (const guint8 *key)
{
  VwAgeOpener *self = g_new0 (VwAgeOpener, 1);

  self->key = key;
  pthread_mutex_init (&self->lock, NULL);
  pthread_cond_init (&self->work, NULL);
  pthread_cond_init (&self->done, NULL);
  if (g_get_num_processors () > 1)
    self->worker = g_thread_new ("vw-age-open", worker_main, self);
  return self;
}

static gboolean
write_chunks (GOutputStream  *out,
              guint8         *chunks,
              guint           n,
              GCancellable   *cancellable,
              GError        **error)
{
  GOutputVector vectors[VW_AGE_OPEN_MAX_CHUNKS];
  gsize written;

  g_assert (n <= G_N_ELEMENTS (vectors));
  for (guint i = 0; i < n; i++)
    {
      vectors[i].buffer = chunks + (gsize) i * VW_AGE_ENC_CHUNK_SIZE;
      vectors[i].size = VW_AGE_CHUNK_SIZE;
    }
  return n == 0 || g_output_stream_writev_all (out, vectors, n, &written, cancellable, error);
}

/**
 * vw_age_opener_copy:
 * @chunks: @n encrypted chunks of VW_AGE_ENC_CHUNK_SIZE bytes each, one
 *   after the other, every one of them followed by more input; at most
 *   %VW_AGE_OPEN_MAX_CHUNKS
 * @counter: the counter of the first
 * @good: (out): how many chunks, from the first, authenticated as
 *   non-final chunks; their plaintext was written to @out
 *
 * Opens the chunks in place and writes the plaintext of those before the
 * first that fails to @out, in order. A chunk that failed is left as it
 * was; the chunks after it may have been opened in place and must not be
 * used. This thread opens the first part and writes it while the worker
 * opens the rest.
 *
 * Returns: %FALSE if writing failed
 */
gboolean
vw_age_opener_copy (VwAgeOpener    *self,
                    guint8         *chunks,
                    guint           n,
                    guint64         counter,
                    GOutputStream  *out,
                    guint          *good,
                    GCancellable   *cancellable,
                    GError        **error)
{
  guint half, first, second;
  gboolean ok;

  g_return_val_if_fail (n <= VW_AGE_OPEN_MAX_CHUNKS, FALSE);

  if (self->worker == NULL || n < 2)
    {
      *good = open_run (self->key, chunks, n, counter);
      return write_chunks (out, chunks, *good, cancellable, error);
    }

  half = n / 2;
  pthread_mutex_lock (&self->lock);
  self->chunks = chunks + (gsize) half * VW_AGE_ENC_CHUNK_SIZE;
  self->counter = counter + half;
  self->n = n - half;
  self->posted = TRUE;
  pthread_cond_signal (&self->work);
  pthread_mutex_unlock (&self->lock);

  first = open_run (self->key, chunks, half, counter);
  ok = write_chunks (out, chunks, first, cancellable, error);

  pthread_mutex_lock (&self->lock);
  while (self->posted)
    pthread_cond_wait (&self->done, &self->lock);
  second = self->result;
  pthread_mutex_unlock (&self->lock);

  if (!ok || first < half)
    {
      *good = first;
      return ok;
    }
  *good = half + second;
  return write_chunks (out, chunks + (gsize) half * VW_AGE_ENC_CHUNK_SIZE, second, cancellable, error);
}

void
vw_age_opener_free (VwAgeOpener *self)
{
  if (self == NULL)
    return;

  if (self->worker != NULL)
    {
      pthread_mutex_lock (&self->lock);
      self->stopping = TRUE;
      pthread_cond_signal (&self->work);
      pthread_mutex_unlock (&self->lock);
      g_thread_join (self->worker);
    }
  pthread_mutex_destroy (&self->lock);
  pthread_cond_destroy (&self->work);
  pthread_cond_destroy (&self->done);
  g_free (self);
}
