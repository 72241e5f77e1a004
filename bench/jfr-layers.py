#!/usr/bin/env python3
"""Event-loop execution samples of a JFR recording grouped by layer (docs/BENCHMARKS.md, session 9).

    jcmd <pid> JFR.start name=x settings=bench/exec-1ms.jfc ; ... ; jcmd <pid> JFR.dump name=x filename=x.jfr
    bench/jfr-layers.py x.jfr [top]

Start the JVM with -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints, or samples in inlined
code are put on the wrong method. A sample counts for its innermost vxpool, Vert.x or Netty frame
(JDK frames count for their caller); with [top], the hottest such frames of each layer follow.
"""
import collections
import json
import subprocess
import sys

ALLOC = ('Adaptive', 'Mpmc', 'MpscIntQueue', 'RefCnt', 'ReferenceCounted', 'Recycler')


def layer(cls, names):
    if cls.startswith('org.vxpool'):
        return 'vxpool'
    if cls.startswith('io.vertx'):
        return 'Vert.x Buffer accessors' if '.buffer.' in cls else 'Vert.x connection layer'
    if cls.startswith('io.netty'):
        if any(k in cls for k in ALLOC):
            return 'Netty allocator and reference counts'
        if '.buffer.' in cls or 'PlatformDependent' in cls:
            return 'Netty ByteBuf accessors'
        if any('write' in n.lower() or 'flush' in n.lower() for n in names[:6]):
            return 'Netty write side'
        if 'epoll' in cls.lower() or 'Pipeline' in cls or 'HandlerContext' in cls:
            return 'Netty read side'
        return 'Netty event loop, timers, tasks'
    return None


def main():
    rec = json.loads(subprocess.run(['jfr', 'print', '--json', '--events', 'jdk.ExecutionSample', sys.argv[1]],
                                    capture_output=True, text=True, check=True).stdout)
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    layers, frames, n = collections.Counter(), collections.defaultdict(collections.Counter), 0
    for e in rec['recording']['events']:
        thread = e['values']['sampledThread'].get('javaName') or ''
        stack = e['values']['stackTrace']['frames'] if e['values']['stackTrace'] else []
        if 'eventloop' not in thread or not stack:
            continue
        n += 1
        names = [f['method']['type']['name'].replace('/', '.') + '.' + f['method']['name'] for f in stack]
        found = 'JDK only'
        for f, name in zip(stack, names):
            got = layer(f['method']['type']['name'].replace('/', '.'), names)
            if got:
                found = got
                frames[got][name.rsplit('.', 2)[-2] + '.' + name.rsplit('.', 1)[-1]] += 1
                break
        layers[found] += 1
    print(f'{n} event-loop samples')
    for name, count in layers.most_common():
        print(f'{name:40s} {count:6d} {100 * count / max(n, 1):5.1f} %')
        for frame, c in frames[name].most_common(top):
            print(f'    {c:6d} {frame}')


if __name__ == '__main__':
    main()
