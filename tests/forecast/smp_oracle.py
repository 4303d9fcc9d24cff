"""A literal, loop-by-loop Spatial Model of Politics: the oracle for accord.forecast.smp.

Written straight from the method (KTAB's kmodel/smp algorithm as described in
accord.forecast.smp's docstring): every sum is an explicit loop over actors,
no vectorisation, no pruning of targets.  Slow, so it runs on a handful of
actors; the vectorised engine must give the same states.
"""

from __future__ import annotations

import math

import numpy as np


def vote(rule, w, ui, uj):
    du = ui - uj
    if rule == "Prop":
        return w * du
    if rule == "PropCbc":
        return w * (0.5 * du + 0.5 * du ** 3)
    if rule == "Cubic":
        return w * du ** 3
    binary = max(-1.0, min(1.0, du / 1e-8))
    if rule == "Binary":
        return w * binary
    if rule == "PropBin":
        return w * (0.8 * du + 0.2 * binary)
    if rule == "ASymProsp":
        return 2 * w * du / 3 if du > 0 else (w * du if du < 0 else 0.0)
    raise ValueError(rule)


def coalitions(weights, utils, rule):
    n_act, n_opt = len(utils), len(utils[0])
    c = [[1e-8] * n_opt for _ in range(n_opt)]
    for i in range(n_opt):
        for j in range(i):
            cij = cji = 1e-8
            for k in range(n_act):
                v = vote(rule, weights[k], utils[k][i], utils[k][j])
                if v > 0:
                    cij += v
                if v < 0:
                    cji -= v
            c[i][j], c[j][i] = cij, cji
    return c


def victory(c, vpm):
    n = len(c)
    power = {"Linear": 1, "Square": 2, "Quartic": 4, "Octic": 8}[vpm]
    p = [[0.5] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            if i != j:
                a, b = c[i][j] ** power, c[j][i] ** power
                p[i][j] = a / (a + b)
    return p


def pce(c, vpm, model):
    n = len(c)
    p = victory(c, vpm)
    if model == "Conditional":
        wins = [math.prod(p[i][j] for j in range(n)) for i in range(n)]
        return [w / sum(wins) for w in wins]
    x = [1.0 / n] * n
    if model == "MarkovUniform":
        for _ in range(1000):
            q = [sum(p[i][j] * (x[i] + x[j]) for j in range(n)) / n for i in range(n)]
            change = max(abs(q[i] - x[i]) for i in range(n))
            x = [(x[i] + q[i]) / 2 for i in range(n)]
            if change <= 1e-6:
                return x
        raise AssertionError("no convergence")
    inc = [[c[i][j] * p[i][j] + (1e-10 if i == j else 0.0) for j in range(n)] for i in range(n)]
    ch = [[inc[i][j] / sum(inc[k][j] for k in range(n)) for j in range(n)] for i in range(n)]
    for _ in range(1000):
        ct = [[x[i] * ch[j][i] for j in range(n)] for i in range(n)]
        q = [sum(p[i][j] * (ct[i][j] + ct[j][i]) for j in range(n)) for i in range(n)]
        change = max(abs(q[i] - x[i]) for i in range(n))
        x = [(x[i] + q[i]) / 2 for i in range(n)]
        if change <= 1e-8:
            return x
    raise AssertionError("no convergence")


def bs_util(d, r):
    return (1 - d) * (1 + d * r) if d <= 1 else (1 - d) * (1 + r)


def distance(ref, pos, sal):
    num = sum(((ref[k] - pos[k]) * sal[k]) ** 2 for k in range(len(sal)))
    return math.sqrt(num / sum(s * s for s in sal))


def big_r(p, rng):
    lo, hi = min(p), max(p)
    if hi - lo <= 0:
        return [0.0] * len(p)
    if rng == "Min":
        return [(x - lo) / (hi - lo) for x in p]
    if rng == "Mid":
        return [(3 * x - (hi + 2 * lo)) / (2 * (hi - lo)) for x in p]
    return [(2 * x - (hi + lo)) / (hi - lo) for x in p]


BLEND = {"Full": (0, 1), "TwoThirds": (1 / 3, 2 / 3), "Half": (0.5, 0.5),
         "OneThird": (2 / 3, 1 / 3), "None": (1, 0)}


def step(x, y, sal, cap, par):
    """One state transition (deterministic) from positions x and ideals y (0–1 scale)."""
    n = len(x)
    d = [[distance(y[a], x[b], sal[a]) for b in range(n)] for a in range(n)]
    neutral = [[1 - d[a][b] for b in range(n)] for a in range(n)]
    chances = pce(coalitions(cap, neutral, par["vr"]), par["vpm"], par["pcem"])
    r = big_r(chances, par["rr"])
    alpha, beta = BLEND[par["ra"]]

    def u(h, a, b):
        return bs_util(d[a][b], alpha * r[h] + beta * r[a])

    ssum = [sum(s) for s in sal]
    w = [cap[a] * ssum[a] for a in range(n)]

    def challenge(h, i, j):
        rule = par["vr"]
        ci = vote(rule, w[i], u(h, i, i), u(h, i, j))
        cj = vote(rule, w[j], u(h, j, i), u(h, j, j))
        cij = 1e-10 + max(ci, 0) + max(cj, 0)
        cji = 1e-10 + max(-ci, 0) + max(-cj, 0)
        c0i, c0j = cij, cji
        for m in range(n):
            if m in (i, j):
                continue
            umi, umj, umm = u(h, m, i), u(h, m, j), u(h, m, m)
            v0 = vote(rule, w[m], umi, umj)
            pin = (c0i + max(v0, 0)) / (c0i + max(v0, 0) + c0j + max(-v0, 0))
            commit = par["tpc"]
            if commit == "FullCommit":
                a1, b1, a2, b2 = 3 * umi, 3 * umj, 3 * umi, 3 * umj
            elif commit == "SemiCommit":
                a1, b1, a2, b2 = 2 * umi + umm, 3 * umj, 3 * umi, 2 * umj + umm
            else:
                a1, b1, a2, b2 = 2 * umi + umm, 2 * umj + umm, 2 * umi + umm, 2 * umj + umm
            vk = vote(rule, w[m], pin * a1 + (1 - pin) * b1, pin * a2 + (1 - pin) * b2)
            if vk > 0:
                cij += vk
            if vk < 0:
                cji -= vk
        p = cij / (cij + cji)
        sq = u(h, i, i) + u(h, i, j)
        gain = (1 - ssum[j]) * 2 * u(h, i, i) + ssum[j] * (p * 2 * u(h, i, i) + (1 - p) * 2 * u(h, i, j))
        return p, gain - sq

    def interp(ti, si, pi, tj, sj, pj):
        wi, wj = (si * pi) ** 2, (sj * pj) ** 2
        bi = math.trunc(0.5 + 10000 * (((wi + 1e-6) * ti + wj * tj) / (wi + 1e-6 + wj))) / 10000
        bj = math.trunc(0.5 + 10000 * ((wi * ti + (1e-6 + wj) * tj) / (wi + 1e-6 + wj))) / 10000
        return bi, bj

    bargains = []
    for i in range(n):
        best, target, prob = -1.0, -1, 0.0
        for j in range(n):
            if j == i:
                continue
            p, g = challenge(i, i, j)
            if g > 1e-5 and g > best:
                best, target, prob = g, j, p
        if target < 0:
            continue
        pi_, pj_ = [], []
        for k in range(len(sal[0])):
            bi, bj = interp(x[i][k], sal[i][k], prob, x[target][k], sal[target][k], 1 - prob)
            pi_.append(bi)
            pj_.append(bj)
        bargains.append((i, target, pi_, pj_))

    own = [[u(a, a, b) for b in range(n)] for a in range(n)]
    new = [list(p) for p in x]
    for k in range(n):
        options = [None] + [b for b in bargains if k in (b[0], b[1])]
        util = []
        for a in range(n):
            row = []
            for b in options:
                if b is None:
                    row.append(sum(own[a]) / n)
                    continue
                ui = bs_util(distance(y[a], b[2], sal[a]), r[a])
                ur = bs_util(distance(y[a], b[3], sal[a]), r[a])
                rest = sum(own[a][m] for m in range(n) if m not in (b[0], b[1]))
                row.append((ui + ur + rest) / n)
            util.append(row)
        chances_k = pce(coalitions(cap, util, par["vr"]), par["vpm"], par["pcem"])
        chosen = max(range(len(options)), key=lambda m: (chances_k[m], -m))
        b = options[chosen]
        if b is not None:
            new[k] = list(b[2] if b[0] == k else b[3])
    return new


def run(positions, saliences, caps, par, accommodation=None, max_iter=100):
    """All states (0–100 scale), KTAB's stopping rule."""
    n = len(positions)
    x = [[v / 100 for v in row] for row in positions]
    y = [list(row) for row in x]
    sal = [[v / 100 for v in row] for row in saliences]
    acc = accommodation if accommodation is not None else np.eye(n)
    states = [x]
    first = None
    for t in range(1, max_iter + 1):
        x_new = step(states[-1], y, sal, caps, par)
        y = [[sum(acc[i][j] * x_new[j][k] for j in range(n))
              + (1 - min(1.0, sum(acc[i]))) * y[i][k] for k in range(len(sal[0]))] for i in range(n)]
        moved = sum(math.sqrt(sum((a - b) ** 2 for a, b in zip(p, q, strict=True)))
                    for p, q in zip(x_new, states[-1], strict=True))
        states.append(x_new)
        if t == 1:
            first = moved + 1e-4
        if t >= 2 and moved / first < 0.02:
            break
    return np.array(states) * 100
