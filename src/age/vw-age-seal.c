/* vw-age-seal.c: the STREAM payload of a whole input, sealed on two cores.
 *
 * Sealing (ChaCha20-Poly1305) is nearly all the work of encrypting a file
 * and every chunk is sealed on its own (its nonce is its counter), so the
 * chunks can be sealed in parallel and written in order. The calling thread
 * reads and writes; worker threads seal. Chunks travel in batches of
 * BATCH_CHUNKS slots: a slot is one encrypted chunk long, so after sealing
 * in place (the tag goes into the slot's last 16 bytes) a batch is one
 * contiguous run of the output. N_BATCHES batches rotate: one being read
 * while up to two are sealed, and the oldest is written once it is done.
 *
 * A chunk is sealed as "not the last one" only when the read after it
 * returned data, so the final chunk (which gets the other nonce flag) is
 * always left for the caller: see vw_age_seal_stream().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "vw-age-private.h"

#define BATCH_CHUNKS 16
#define N_BATCHES    3
#define MAX_WORKERS  2

typedef struct _Batch Batch;

typedef struct
{
  Batch  *batch;
  guint   first;
  guint   n;
} Job;

struct _Batch
{
  guint8   *data;      /* BATCH_CHUNKS slots of VW_AGE_ENC_CHUNK_SIZE */
  gsize     touched;   /* bytes of data ever written, to wipe */
  guint     n_chunks;  /* sealed by the workers */
  guint64   counter;   /* of the first chunk */
  guint     pending;   /* jobs not done yet; under Sealer.lock */
  gboolean  in_flight; /* dispatched and not yet written */
  Job       jobs[MAX_WORKERS];
};

/* Plain pthread locking rather than GMutex, whose futexes
 * ThreadSanitizer cannot see: this file is checked with it. */
typedef struct
{
  const guint8    *key;
  pthread_mutex_t  lock;
  pthread_cond_t   work;                   /* a job was queued */
  pthread_cond_t   done;                   /* a batch was sealed */
  Job             *queue[N_BATCHES * MAX_WORKERS];
  guint            queue_head, queue_len;  /* under lock */
  gboolean         stopping;               /* under lock */
  GThread         *workers[MAX_WORKERS];
  guint            n_workers;
  Batch            batches[N_BATCHES];
} Sealer;

static guint8 *
slot (Batch *batch,
      guint  i)
{
  return batch->data + (gsize) i * VW_AGE_ENC_CHUNK_SIZE;
}

static gpointer
worker_main (gpointer data)
{
  Sealer *sealer = data;

  for (;;)
    {
      Batch *batch;
      Job *job;

      pthread_mutex_lock (&sealer->lock);
      while (sealer->queue_len == 0 && !sealer->stopping)
        pthread_cond_wait (&sealer->work, &sealer->lock);
      if (sealer->queue_len == 0)
        {
          pthread_mutex_unlock (&sealer->lock);
          return NULL;
        }
      job = sealer->queue[sealer->queue_head];
      sealer->queue_head = (sealer->queue_head + 1) % G_N_ELEMENTS (sealer->queue);
      sealer->queue_len--;
      pthread_mutex_unlock (&sealer->lock);

      batch = job->batch;

      for (guint i = job->first; i < job->first + job->n; i++)
        {
          guint8 *chunk = slot (batch, i);
          guint8 nonce[12];

          vw_age_stream_nonce (batch->counter + i, FALSE, nonce);
          crypto_aead_chacha20poly1305_ietf_encrypt_detached (chunk, chunk + VW_AGE_CHUNK_SIZE, NULL,
                                                              chunk, VW_AGE_CHUNK_SIZE, NULL, 0, NULL,
                                                              nonce, sealer->key);
        }
      pthread_mutex_lock (&sealer->lock);
      if (--batch->pending == 0)
        pthread_cond_broadcast (&sealer->done);
      pthread_mutex_unlock (&sealer->lock);
    }
}

static void
dispatch (Sealer *sealer,
          Batch  *batch)
{
  guint per, n_jobs = 0;

  if (batch->n_chunks == 0)
    return;
  if (sealer->n_workers == 0)
    {
      /* Started on the first batch: a small file never starts a thread. */
      sealer->n_workers = CLAMP (g_get_num_processors (), 1, MAX_WORKERS);
      for (guint i = 0; i < sealer->n_workers; i++)
        sealer->workers[i] = g_thread_new ("vw-age-seal", worker_main, sealer);
    }

  per = (batch->n_chunks + sealer->n_workers - 1) / sealer->n_workers;
  for (guint first = 0; first < batch->n_chunks; first += per)
    {
      Job *job = &batch->jobs[n_jobs++];

      job->batch = batch;
      job->first = first;
      job->n = MIN (per, batch->n_chunks - first);
    }
  batch->in_flight = TRUE;
  pthread_mutex_lock (&sealer->lock);
  batch->pending = n_jobs;
  for (guint i = 0; i < n_jobs; i++)
    {
      g_assert (sealer->queue_len < G_N_ELEMENTS (sealer->queue));
      sealer->queue[(sealer->queue_head + sealer->queue_len++) % G_N_ELEMENTS (sealer->queue)] = &batch->jobs[i];
    }
  pthread_cond_broadcast (&sealer->work);
  pthread_mutex_unlock (&sealer->lock);
}

static void
wait_batch (Sealer *sealer,
            Batch  *batch)
{
  pthread_mutex_lock (&sealer->lock);
  while (batch->pending > 0)
    pthread_cond_wait (&sealer->done, &sealer->lock);
  pthread_mutex_unlock (&sealer->lock);
}

/* Makes @batch free for reading: a batch still in flight is waited for
 * and written out first (batches are taken in turn, so in order). */
static gboolean
take_batch (Sealer         *sealer,
            Batch          *batch,
            GOutputStream  *dest,
            GCancellable   *cancellable,
            GError        **error)
{
  gsize written;

  if (!batch->in_flight)
    return TRUE;
  wait_batch (sealer, batch);
  batch->in_flight = FALSE;
  return g_output_stream_write_all (dest, batch->data, (gsize) batch->n_chunks * VW_AGE_ENC_CHUNK_SIZE,
                                    &written, cancellable, error);
}

/* Reads up to @want bytes into @buf, noting how far @batch was written. */
static gboolean
read_into (Batch          *batch,
           guint8         *buf,
           gsize           want,
           GInputStream   *in,
           gsize          *got,
           GCancellable   *cancellable,
           GError        **error)
{
  gboolean ok = g_input_stream_read_all (in, buf, want, got, cancellable, error);

  batch->touched = MAX (batch->touched, (gsize) (buf - batch->data) + (ok ? *got : want));
  return ok;
}

/**
 * vw_age_seal_stream:
 * @key: the payload key
 * @counter: (inout): the counter of the next chunk
 * @pending: (inout): a buffer of VW_AGE_CHUNK_SIZE bytes holding
 *   *@pending_len bytes of plaintext that come before @in
 *
 * Reads @in to its end and writes it to @dest as sealed non-final chunks,
 * except the last chunk of the whole plaintext, which is left in @pending
 * for the caller to seal with the final flag. On failure the output is
 * unfinished and must be abandoned.
 */
gboolean
vw_age_seal_stream (GInputStream   *in,
                    GOutputStream  *dest,
                    const guint8   *key,
                    guint64        *counter,
                    guint8         *pending,
                    gsize          *pending_len,
                    GCancellable   *cancellable,
                    GError        **error)
{
  Sealer sealer = { .key = key };
  gsize ahead = *pending_len;
  gboolean ok = FALSE;
  guint b = 0;

  pthread_mutex_init (&sealer.lock, NULL);
  pthread_cond_init (&sealer.work, NULL);
  pthread_cond_init (&sealer.done, NULL);
  for (guint i = 0; i < N_BATCHES; i++)
    sealer.batches[i].data = g_malloc ((gsize) BATCH_CHUNKS * VW_AGE_ENC_CHUNK_SIZE);
  memcpy (sealer.batches[0].data, pending, ahead);
  sealer.batches[0].touched = ahead;

  /* Slot 0 of batches[b] holds @ahead bytes read before. */
  for (;;)
    {
      Batch *batch = &sealer.batches[b];
      Batch *next = &sealer.batches[(b + 1) % N_BATCHES];
      guint8 *last = NULL;
      gsize last_len = 0, got = 0;
      guint n = 0;

      if (ahead < VW_AGE_CHUNK_SIZE)
        {
          if (!read_into (batch, slot (batch, 0) + ahead, VW_AGE_CHUNK_SIZE - ahead, in, &got, cancellable, error))
            goto out;
          ahead += got;
        }
      if (ahead < VW_AGE_CHUNK_SIZE)
        {
          last = slot (batch, 0);
          last_len = ahead;
        }
      /* Chunk i - 1 is full; it is not the last if chunk i gets data. */
      for (guint i = 1; last == NULL && i <= BATCH_CHUNKS; i++)
        {
          guint8 *target;
          Batch *owner = batch;

          if (i < BATCH_CHUNKS)
            target = slot (batch, i);
          else
            {
              if (!take_batch (&sealer, next, dest, cancellable, error))
                goto out;
              owner = next;
              target = slot (next, 0);
            }
          if (!read_into (owner, target, VW_AGE_CHUNK_SIZE, in, &got, cancellable, error))
            goto out;
          if (got == 0)
            {
              n = i - 1;
              last = slot (batch, i - 1);
              last_len = VW_AGE_CHUNK_SIZE;
            }
          else if (i < BATCH_CHUNKS && got < VW_AGE_CHUNK_SIZE)
            {
              n = i;
              last = target;
              last_len = got;
            }
          else
            n = i;
        }

      batch->n_chunks = n;
      batch->counter = *counter;
      *counter += n;
      if (last != NULL)
        memcpy (pending, last, last_len);
      dispatch (&sealer, batch);
      if (last != NULL)
        {
          *pending_len = last_len;
          break;
        }
      ahead = got;
      b = (b + 1) % N_BATCHES;
    }

  /* Write what is still in flight, oldest first. */
  ok = TRUE;
  for (guint i = 1; i <= N_BATCHES && ok; i++)
    ok = take_batch (&sealer, &sealer.batches[(b + i) % N_BATCHES], dest, cancellable, error);

out:
  for (guint i = 0; i < N_BATCHES; i++)
    wait_batch (&sealer, &sealer.batches[i]);
  pthread_mutex_lock (&sealer.lock);
  sealer.stopping = TRUE;
  pthread_cond_broadcast (&sealer.work);
  pthread_mutex_unlock (&sealer.lock);
  for (guint i = 0; i < sealer.n_workers; i++)
    g_thread_join (sealer.workers[i]);
  for (guint i = 0; i < N_BATCHES; i++)
    {
      sodium_memzero (sealer.batches[i].data, sealer.batches[i].touched);
      g_free (sealer.batches[i].data);
    }
  pthread_mutex_destroy (&sealer.lock);
  pthread_cond_destroy (&sealer.work);
  pthread_cond_destroy (&sealer.done);
  return ok;
}
