/*
 * The least work a transaction pooler can do: many clients over a few backend connections, one
 * epoll loop, messages framed by type and length only (no SQL looked at, no authentication, no
 * named statements: pgbench -S -M simple|extended). bench/pgbench-compare.sh runs it as target
 * "txmux" (DEPTH 1: a unit waits in the pooler until a connection is free, as PgBouncer's
 * transaction mode) and "txmux-pipe" (DEPTH 4: up to four clients' units are sent one behind the
 * other on one connection, each answer routed back by its ReadyForQuery). Its ratio to
 * PgBouncer-tx is the floor of what a transaction pooler's hop structure allows on this machine
 * (docs/BENCHMARKS.md, "session 7: the floor, a relay that parses nothing").
 *
 *   cc -O2 -o txmux txmux.c && ./txmux LISTEN_PORT BACKEND_PORT BACKENDS DEPTH
 *
 * With TXMUX_STATS=1 in the environment it prints, every 5 s on stderr, how many units were sent
 * to a connection with 0, 1, 2 or 3 units already on it (q1-q3: pipelined), how many waited in the
 * pooler, how many backend writes carried them (fewer than units: several clients' units left in
 * one write) and how many epoll wake-ups there were (docs/BENCHMARKS.md, "Pipelining at
 * saturation (session 9, pipe9)").
 *
 * A unit is a Query, or extended-protocol messages up to Sync; only autocommit single-statement
 * units are sound to pipeline, which is all pgbench -S sends. Benchmark tool only: trust
 * authentication as user and database "postgres", loopback only, no limits.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXB 64
#define QCAP 64

struct buf {
    char *p;
    size_t len, cap;
};

static void put(struct buf *b, const char *src, size_t n) {
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, src, n);
    b->len += n;
}

static void consume(struct buf *b, size_t n) {
    memmove(b->p, b->p + n, b->len - n);
    b->len -= n;
}

enum { CLIENT, BACKEND };

struct client;

struct conn {
    int kind, fd, dirty;
    struct buf in, out;
};

struct backend {
    struct conn c;
    struct client *queue[QCAP]; /* clients whose units are in flight here, in order */
    int head, n;
};

struct client {
    struct conn c;
    int started, closed, inflight;
    struct client *next_waiting;
    struct buf unit; /* a unit that waits for a connection */
};

static struct backend backends[MAXB];
static int nbackends, depth, ep;
/* TXMUX_STATS: units by queue length at send, units that waited, backend writes, wake-ups */
static long st_units[QCAP + 1], st_waited, st_backend_writes, st_wakes;
static struct buf welcome;
static struct conn *dirty[8192];
static int ndirty;
static struct client *wait_head, *wait_tail;

static void mark(struct conn *c) {
    if (!c->dirty && ndirty < 8192) {
        c->dirty = 1;
        dirty[ndirty++] = c;
    }
}

static void flush_out(struct conn *c) {
    while (c->out.len) {
        ssize_t w = write(c->fd, c->out.p, c->out.len);
        if (w <= 0) {
            /* pgbench -S's messages never fill a socket buffer; a benchmark tool does not wait for one */
            return;
        }
        consume(&c->out, (size_t) w);
    }
}

static uint32_t be32(const char *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return ntohl(v);
}

static int connect_backend(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *) &a, sizeof a)) {
        perror("txmux: connect");
        exit(1);
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

/* Logs in (trust) and keeps the first connection's ParameterStatus frames as the clients' welcome. */
static void login(int fd, int keep) {
    char msg[256];
    size_t n = 8;
    const char *kv[] = {"user", "postgres", "database", "postgres"};
    for (int i = 0; i < 4; i++) {
        strcpy(msg + n, kv[i]);
        n += strlen(kv[i]) + 1;
    }
    msg[n++] = 0;
    uint32_t len = htonl((uint32_t) n), ver = htonl(196608);
    memcpy(msg, &len, 4);
    memcpy(msg + 4, &ver, 4);
    if (write(fd, msg, n) != (ssize_t) n) {
        exit(1);
    }
    struct buf in = {0};
    char tmp[8192];
    for (;;) {
        ssize_t r = read(fd, tmp, sizeof tmp);
        if (r <= 0) {
            fprintf(stderr, "txmux: login failed\n");
            exit(1);
        }
        put(&in, tmp, (size_t) r);
        while (in.len >= 5 && in.len >= 1 + be32(in.p + 1)) {
            size_t m = 1 + be32(in.p + 1);
            if (in.p[0] == 'E') {
                fprintf(stderr, "txmux: login refused\n");
                exit(1);
            }
            if (keep && in.p[0] == 'S') {
                put(&welcome, in.p, m);
            }
            if (in.p[0] == 'Z') {
                free(in.p);
                return;
            }
            consume(&in, m);
        }
    }
}

static void watch(struct conn *c) {
    fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
    epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
}

/* The connection a unit goes to: the least loaded one with room, or none. */
static struct backend *pick(void) {
    struct backend *best = NULL;
    for (int i = 0; i < nbackends; i++) {
        if (backends[i].n < depth && (best == NULL || backends[i].n < best->n)) {
            best = &backends[i];
            if (best->n == 0) {
                break;
            }
        }
    }
    return best;
}

static void send_unit(struct client *cl, struct backend *b, const char *p, size_t n) {
    st_units[b->n]++;
    put(&b->c.out, p, n);
    mark(&b->c);
    b->queue[(b->head + b->n) % QCAP] = cl;
    b->n++;
    cl->inflight++;
}

/* Units waiting in the pooler go out as connections free up, oldest first. */
static void serve_waiting(void) {
    while (wait_head) {
        struct backend *b = pick();
        if (b == NULL) {
            return;
        }
        struct client *cl = wait_head;
        wait_head = cl->next_waiting;
        if (wait_head == NULL) {
            wait_tail = NULL;
        }
        cl->next_waiting = NULL;
        send_unit(cl, b, cl->unit.p, cl->unit.len);
        cl->unit.len = 0;
    }
}

static void close_client(struct client *cl) {
    epoll_ctl(ep, EPOLL_CTL_DEL, cl->c.fd, NULL);
    close(cl->c.fd);
    cl->closed = 1;
    /* freed when no answer is owed to it any more (see backend_read) */
    if (cl->inflight == 0 && cl->unit.len == 0 && !cl->c.dirty) {
        free(cl->c.in.p);
        free(cl->c.out.p);
        free(cl->unit.p);
        free(cl);
    }
}

static void client_read(struct client *cl) {
    char tmp[65536];
    ssize_t r = read(cl->c.fd, tmp, sizeof tmp);
    if (r <= 0) {
        if (r < 0 && errno == EAGAIN) {
            return;
        }
        close_client(cl);
        return;
    }
    put(&cl->c.in, tmp, (size_t) r);
    struct buf *in = &cl->c.in;
    size_t off = 0, unit_start = 0;
    while (in->len - off >= 4) {
        if (!cl->started) {
            uint32_t m = be32(in->p + off);
            if (in->len - off < m) {
                break;
            }
            uint32_t code = be32(in->p + off + 4);
            off += m;
            unit_start = off;
            if (code == 80877103 || code == 80877104) { /* SSLRequest, GSSENCRequest */
                put(&cl->c.out, "N", 1);
            } else {
                static const char ok[] = {'R', 0, 0, 0, 8, 0, 0, 0, 0};
                static const char key[] = {'K', 0, 0, 0, 12, 0, 0, 0, 1, 0, 0, 0, 1};
                static const char ready[] = {'Z', 0, 0, 0, 5, 'I'};
                put(&cl->c.out, ok, sizeof ok);
                put(&cl->c.out, welcome.p, welcome.len);
                put(&cl->c.out, key, sizeof key);
                put(&cl->c.out, ready, sizeof ready);
                cl->started = 1;
            }
            mark(&cl->c);
            continue;
        }
        if (in->len - off < 5) {
            break;
        }
        char type = in->p[off];
        size_t m = 1 + be32(in->p + off + 1);
        if (in->len - off < m) {
            break;
        }
        off += m;
        if (type == 'X') {
            close_client(cl);
            return;
        }
        if (type == 'Q' || type == 'S') {
            /* a whole unit: to a connection with room, else it waits in the pooler */
            struct backend *b = wait_head ? NULL : pick();
            if (b) {
                send_unit(cl, b, in->p + unit_start, off - unit_start);
            } else {
                st_waited++;
                put(&cl->unit, in->p + unit_start, off - unit_start);
                if (wait_tail) {
                    wait_tail->next_waiting = cl;
                } else {
                    wait_head = cl;
                }
                wait_tail = cl;
            }
            unit_start = off;
        }
    }
    consume(in, unit_start);
}

static void backend_read(struct backend *b) {
    char tmp[65536];
    ssize_t r = read(b->c.fd, tmp, sizeof tmp);
    if (r <= 0) {
        if (r < 0 && errno == EAGAIN) {
            return;
        }
        fprintf(stderr, "txmux: a backend connection closed\n");
        exit(1);
    }
    put(&b->c.in, tmp, (size_t) r);
    struct buf *in = &b->c.in;
    size_t off = 0, from = 0;
    while (in->len - off >= 5) {
        size_t m = 1 + be32(in->p + off + 1);
        if (in->len - off < m) {
            break;
        }
        char type = in->p[off];
        off += m;
        if (type == 'Z') {
            struct client *cl = b->queue[b->head];
            b->head = (b->head + 1) % QCAP;
            b->n--;
            cl->inflight--;
            if (!cl->closed) {
                put(&cl->c.out, in->p + from, off - from);
                mark(&cl->c);
            } else if (cl->inflight == 0) {
                free(cl->c.in.p);
                free(cl->c.out.p);
                free(cl->unit.p);
                free(cl);
            }
            from = off;
        }
    }
    /* an answer in part: what arrived goes to its client now */
    if (off > from && b->n > 0 && !b->queue[b->head]->closed) {
        struct client *cl = b->queue[b->head];
        put(&cl->c.out, in->p + from, off - from);
        mark(&cl->c);
        from = off;
    }
    consume(in, from);
    serve_waiting();
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: txmux LISTEN_PORT BACKEND_PORT BACKENDS DEPTH\n");
        return 2;
    }
    int listen_port = atoi(argv[1]), backend_port = atoi(argv[2]);
    nbackends = atoi(argv[3]);
    depth = atoi(argv[4]);
    if (nbackends < 1 || nbackends > MAXB || depth < 1 || depth > QCAP) {
        fprintf(stderr, "txmux: 1..%d backends, depth 1..%d\n", MAXB, QCAP);
        return 2;
    }
    const char *stats_env = getenv("TXMUX_STATS");
    int stats = stats_env != NULL && strcmp(stats_env, "1") == 0;
    time_t last_stats = 0;
    ep = epoll_create1(0);
    for (int i = 0; i < nbackends; i++) {
        backends[i].c.kind = BACKEND;
        backends[i].c.fd = connect_backend(backend_port);
        login(backends[i].c.fd, i == 0);
        watch(&backends[i].c);
    }
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(listen_port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(lfd, (struct sockaddr *) &a, sizeof a) || listen(lfd, 1024)) {
        perror("txmux: listen");
        return 1;
    }
    struct epoll_event lev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &lev);
    struct epoll_event evs[256];
    for (;;) {
        int n = epoll_wait(ep, evs, 256, -1);
        for (int i = 0; i < n; i++) {
            struct conn *c = evs[i].data.ptr;
            if (c == NULL) {
                int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
                if (fd >= 0) {
                    struct client *cl = calloc(1, sizeof *cl);
                    cl->c.kind = CLIENT;
                    cl->c.fd = fd;
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    watch(&cl->c);
                }
            } else if (c->kind == BACKEND) {
                backend_read((struct backend *) c);
            } else if (!((struct client *) c)->closed) {
                client_read((struct client *) c);
            }
        }
        /* one write per connection per wake-up: units for one backend go out together */
        for (int i = 0; i < ndirty; i++) {
            struct conn *c = dirty[i];
            c->dirty = 0;
            if (c->kind == CLIENT && ((struct client *) c)->closed) {
                continue;
            }
            st_backend_writes += c->kind == BACKEND;
            flush_out(c);
        }
        ndirty = 0;
        st_wakes++;
        if (stats) {
            time_t now = time(NULL);
            if (now - last_stats >= 5) {
                last_stats = now;
                fprintf(stderr, "txmux stats: q0=%ld q1=%ld q2=%ld q3=%ld waited=%ld backend_writes=%ld wakes=%ld\n",
                        st_units[0], st_units[1], st_units[2], st_units[3], st_waited, st_backend_writes, st_wakes);
            }
        }
    }
}
