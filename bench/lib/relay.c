/*
 * The least work any PostgreSQL proxy can do: a TCP relay that copies bytes between each client
 * and its own backend connection and looks at none of them (no protocol, no pooling, no routing).
 * bench/pgbench-compare.sh runs it as the target "relay" (THREADS=1, one epoll loop, as PgBouncer)
 * and "relay2" (two loops sharing the port with SO_REUSEPORT, as vxpool's event loops): its ratio
 * to direct PostgreSQL is the floor of what the extra socket hop costs on this machine, against
 * which the proxies' ratios are read (docs/BENCHMARKS.md, "session 7: the floor, a relay that parses nothing").
 *
 *   cc -O2 -o relay relay.c -lpthread && ./relay LISTEN_PORT BACKEND_PORT [THREADS]
 *
 * Level-triggered epoll, one read per readiness event, the write straight after it (what a proxy
 * does per message); only a short write arms EPOLLOUT and stops reading the other side until the
 * rest is written. The backend is 127.0.0.1:BACKEND_PORT, connected when the client is accepted.
 * Benchmark tool only: no timeouts, no limits, loopback only.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

#define BUF 65536

struct end {
    int fd;
    struct end *peer;
    /* bytes read from the peer that this socket could not take yet */
    char *pending;
    size_t off, len;
};

static int listen_port, backend_port;

static int listener(void) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(listen_port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *) &a, sizeof a) || listen(fd, 1024)) {
        perror("relay: listen");
        exit(1);
    }
    return fd;
}

static void arm(int ep, struct end *e, unsigned events) {
    struct epoll_event ev = {.events = events, .data.ptr = e};
    epoll_ctl(ep, EPOLL_CTL_MOD, e->fd, &ev);
}

static void drop(int ep, struct end *e) {
    struct end *p = e->peer;
    epoll_ctl(ep, EPOLL_CTL_DEL, e->fd, NULL);
    epoll_ctl(ep, EPOLL_CTL_DEL, p->fd, NULL);
    close(e->fd);
    close(p->fd);
    free(e->pending);
    free(p->pending);
    free(e);
    free(p);
}

static struct end *end_of(int fd) {
    struct end *e = calloc(1, sizeof *e);
    e->fd = fd;
    e->pending = malloc(BUF);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return e;
}

static void accept_one(int ep, int lfd) {
    int c = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
    if (c < 0) {
        return;
    }
    int b = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(backend_port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(b, (struct sockaddr *) &a, sizeof a)) {
        close(b);
        close(c);
        return;
    }
    fcntl(b, F_SETFL, fcntl(b, F_GETFL) | O_NONBLOCK);
    struct end *ce = end_of(c), *be = end_of(b);
    ce->peer = be;
    be->peer = ce;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = ce};
    epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
    ev.data.ptr = be;
    epoll_ctl(ep, EPOLL_CTL_ADD, b, &ev);
}

/* Readable: one read, written on at once; a short write parks the rest on the peer. */
static int readable(int ep, struct end *e, char *buf) {
    ssize_t n = read(e->fd, buf, BUF);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        return -1;
    }
    if (n < 0) {
        return 0;
    }
    struct end *p = e->peer;
    ssize_t w = write(p->fd, buf, (size_t) n);
    if (w < 0 && errno != EAGAIN) {
        return -1;
    }
    if (w < 0) {
        w = 0;
    }
    if (w < n) {
        memcpy(p->pending, buf + w, (size_t) (n - w));
        p->off = 0;
        p->len = (size_t) (n - w);
        arm(ep, e, 0);
        arm(ep, p, EPOLLIN | EPOLLOUT);
    }
    return 0;
}

static int writable(int ep, struct end *e) {
    ssize_t w = write(e->fd, e->pending + e->off, e->len - e->off);
    if (w < 0 && errno != EAGAIN) {
        return -1;
    }
    if (w > 0) {
        e->off += (size_t) w;
    }
    if (e->off == e->len) {
        e->len = e->off = 0;
        arm(ep, e, EPOLLIN);
        arm(ep, e->peer, EPOLLIN);
    }
    return 0;
}

static void *loop(void *unused) {
    (void) unused;
    int ep = epoll_create1(0), lfd = listener();
    char *buf = malloc(BUF);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    struct epoll_event evs[256];
    for (;;) {
        int n = epoll_wait(ep, evs, 256, -1);
        for (int i = 0; i < n; i++) {
            struct end *e = evs[i].data.ptr;
            if (e == NULL) {
                accept_one(ep, lfd);
                continue;
            }
            int rc = 0;
            if (evs[i].events & EPOLLOUT) {
                rc = writable(ep, e);
            }
            if (rc == 0 && (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) {
                /* a socket that may not be read (its peer's backlog) and hung up ends the pair */
                rc = e->peer->len == 0 ? readable(ep, e, buf) : (evs[i].events & (EPOLLHUP | EPOLLERR)) ? -1 : 0;
            }
            if (rc < 0) {
                /* later events of this batch may name the freed pair: mark them */
                for (int j = i + 1; j < n; j++) {
                    if (evs[j].data.ptr == e || evs[j].data.ptr == e->peer) {
                        evs[j].events = 0;
                    }
                }
                drop(ep, e);
            }
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: relay LISTEN_PORT BACKEND_PORT [THREADS]\n");
        return 2;
    }
    listen_port = atoi(argv[1]);
    backend_port = atoi(argv[2]);
    int threads = argc > 3 ? atoi(argv[3]) : 1;
    for (int t = 1; t < threads; t++) {
        pthread_t id;
        pthread_create(&id, NULL, loop, NULL);
    }
    loop(NULL);
    return 0;
}
