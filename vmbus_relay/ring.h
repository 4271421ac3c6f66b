/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Server side of a VMBus ring buffer (hv_ring_buffer semantics), pure C.
 *
 * The guest owns the ring memory and may change any byte of it at any
 * time. The server keeps its own index privately (the read index of the
 * guest->host ring, the write index of the host->guest ring), reads the
 * guest's index once per call, validates it, and copies every packet out
 * of the ring exactly once before anything looks at it.
 */
#ifndef KHCL_RING_H
#define KHCL_RING_H

#include "../include/khcl/vmbus_wire.h"

struct khcl_ring {
	struct khcl_ring_hdr *hdr;	/* shared, guest-writable */
	u8 *data;			/* shared, @size bytes */
	u32 size;			/* data area bytes, multiple of 8 */
	u32 priv;			/* our index: read (in) or write (out) */
	u32 committed;			/* last index published to the guest */
	bool out;			/* host->guest direction */
};

/* Largest data area accepted: far beyond what clients use (2 MiB). */
#define KHCL_RING_MAX_DATA	(64u << 20)

/* What went wrong, for counters; every one of these resets the channel. */
enum khcl_ring_err {
	KHCL_RING_OK = 0,
	KHCL_RING_EMPTY,		/* not an error: nothing to read */
	KHCL_RING_FULL,			/* not an error: retry later */
	KHCL_RING_BAD_INDEX,		/* guest index out of range/unaligned */
	KHCL_RING_BAD_LEN,		/* packet length/offset inconsistent */
	KHCL_RING_TOO_BIG,		/* packet larger than our buffer */
	KHCL_RING_NERR
};

int khcl_ring_init(struct khcl_ring *r, void *hdr, void *data, u32 size,
		   bool out);

/* Guest->host ring: copy the next packet out into @buf (at most @buflen). */
enum khcl_ring_err khcl_ring_read(struct khcl_ring *r, void *buf, u32 buflen,
				  u32 *pktlen);
/*
 * Publish what was read; returns true if the guest asked to be told when
 * space frees up (pending_send_sz) and it now has room.
 */
bool khcl_ring_read_commit(struct khcl_ring *r);

/*
 * Host->guest ring, a batch at a time: khcl_ring_put() lays one packet
 * (descriptor built here, @extlen more descriptor bytes such as a
 * transfer-page header, then @len payload bytes padded to 8) after those
 * already put; the guest sees none of them until khcl_ring_publish()
 * moves write_index once for the batch. KHCL_RING_FULL: publish what is
 * put, then khcl_ring_want_space() asks the guest to signal when room
 * comes (pending_send_sz), never before the batch is published (the
 * guest counts room from the write_index it sees).
 */
enum khcl_ring_err khcl_ring_put(struct khcl_ring *r, u16 type, u16 flags,
				 u64 trans_id, const void *ext, u32 extlen,
				 const void *payload, u32 len);
/* Bytes a packet takes on the ring, trailer included. */
u32 khcl_ring_pkt_size(u32 extlen, u32 len);
/*
 * Publish the batch; true if the guest must be signalled (it had read
 * everything published before and its interrupts are on).
 */
bool khcl_ring_publish(struct khcl_ring *r);
/*
 * Ask for a signal once more than @need bytes are free; true if they are
 * already (put again now), false if the guest's signal will tell.
 */
bool khcl_ring_want_space(struct khcl_ring *r, u32 need);

/*
 * One packet, put and published (@signal: kick the guest). On
 * KHCL_RING_FULL pending_send_sz is set for it.
 */
enum khcl_ring_err khcl_ring_write(struct khcl_ring *r, u16 type, u16 flags,
				   u64 trans_id, const void *payload, u32 len,
				   bool *signal);
enum khcl_ring_err khcl_ring_write_ext(struct khcl_ring *r, u16 type,
				       u16 flags, u64 trans_id, const void *ext,
				       u32 extlen, const void *payload,
				       u32 len, bool *signal);

/* Interrupt masking of the guest->host ring while the server drains it. */
void khcl_ring_mask(struct khcl_ring *r);
/* Unmask; returns true if packets arrived meanwhile (drain again). */
bool khcl_ring_unmask(struct khcl_ring *r);

u32 khcl_ring_bytes_used(struct khcl_ring *r);

#endif /* KHCL_RING_H */
