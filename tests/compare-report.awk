# SPDX-License-Identifier: BSD-2-Clause
# compare-report.awk: the charts of make compare, drawn from its raw
# numbers (the tab-separated rows of tests/compare.sh: tp, mem, fault and
# meta) as inline SVG, with no JavaScript and nothing fetched.
#   awk -F '\t' -v out=html -f compare-report.awk DATA   the page
#   awk -F '\t' -v out=svg  -f compare-report.awk DATA   the charts alone
# The page holds each chart twice, laid out for a wide screen (WIDE px)
# and for a phone (NARROW px); CSS shows the one that fits.  The layout is
# computed here: every label is placed from an estimate of its width
# (CHARW em a character, wider than DejaVu Sans or Arial need on average),
# and each SVG's labels are checked against its box and against each
# other; the page ends with a comment that says what that found, and
# tests/compare-quick.sh checks it (and, with Chromium, the real boxes).

BEGIN {
	WIDE = 1160
	NARROW = 360
	NARROW_BELOW = 700	# the page shows the narrow charts below this
	CHARW = 0.64		# estimated width of a character, in em
	FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"
	nfaults = split("crash leak hang fd-leak", FAULTS, " ")
	npal = split("#1f77b4 #d9730d #6b7280 #2e8b57 #8e44ad #b5651d #c2185b #00838f", PAL, " ")
	checked_svgs = 0
	checked_labels = 0
	outside = 0
	overlaps = 0
	problems = ""
}

/^#/ { next }

$1 == "meta" { META[$2] = $3; next }

$1 == "tp" {
	if ($3 == "did-not-start") {
		DNS[$2] = 1
		next
	}
	k = $3 SUBSEP $4
	if (!(k in scen_seen)) {
		scen_seen[k] = 1
		SCEN[++nscen] = k
	}
	model_seen($2)
	add(RPS, k SUBSEP $2, $5)
	add(P50, k SUBSEP $2, $6)
	add(P99, k SUBSEP $2, $7)
	add(US, k SUBSEP $2, $12)
	add(WRKC, k SUBSEP $2, $14)
	next
}

$1 == "mem" {
	if ($3 == "did-not-start") {
		DNS[$2] = 1
		next
	}
	model_seen($2)
	if (!(($3) in state_seen)) {
		state_seen[$3] = 1
		STATE[++nstate] = $3
	}
	MEMC[$2, $3] = $4
	MEMP[$2, $3] = $8
	MEMB[$2, $3] = $10
	MEMN[$2, $3] = $6
	next
}

$1 == "fault" {
	if (!(($2) in fmodel_seen)) {
		fmodel_seen[$2] = 1
		FMODEL[++nfmodel] = $2
	}
	for (i = 1; i <= NF; i++)
		F[$2, $3, i] = $i
	HAVEF[$2, $3] = 1
	next
}

# ---------------------------------------------------------------------------
# numbers

function model_seen(m) {
	if (!(m in mseen)) {
		mseen[m] = 1
		SEENM[++nseenm] = m
	}
}

function add(a, k, v) {
	if (v == "-" || v == "")
		return
	a[k] = (k in a) ? a[k] " " v : v
}

# stat(A, K): s_med, s_min, s_max, s_n of the values in A[K] (s_n 0: none).
function stat(a, k,    v, n, i, j, t) {
	s_n = 0
	if (!(k in a))
		return 0
	n = split(a[k], v, " ")
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) {
			t = v[j]
			v[j] = v[j - 1]
			v[j - 1] = t
		}
	s_n = n
	s_min = v[1] + 0
	s_max = v[n] + 0
	s_med = n % 2 ? v[(n + 1) / 2] + 0 : (v[n / 2] + v[n / 2 + 1]) / 2
	return 1
}

# short(V): a number in few characters (12.3k, 1.2M, 0.045).
function short(v) {
	if (v >= 999500)
		return sprintf("%.1fM", v / 1000000)
	if (v >= 9999.5)
		return sprintf("%.0fk", v / 1000)
	if (v >= 999.5)
		return sprintf("%.1fk", v / 1000)
	if (v >= 99.5)
		return sprintf("%.0f", v)
	if (v >= 9.995)
		return sprintf("%.1f", v)
	if (v >= 0.9995)
		return sprintf("%.2f", v)
	if (v == 0)
		return "0"
	return sprintf("%.3f", v)
}

# nice(V): the axis end, 1, 2, 2.5 or 5 times a power of ten, >= V.
function nice(v,    p) {
	if (v <= 0)
		return 1
	p = 1
	while (p * 10 <= v)
		p *= 10
	while (p > v)
		p /= 10
	if (v <= p)
		return p
	if (v <= 2 * p)
		return 2 * p
	if (v <= 2.5 * p)
		return 2.5 * p
	if (v <= 5 * p)
		return 5 * p
	return 10 * p
}

function colour(m,    i) {
	for (i = 1; i <= nmodels; i++)
		if (MODELS[i] == m)
			return PAL[(i - 1) % npal + 1]
	return "#444444"
}

function wl_label(k,    f, c) {
	split(k, f, SUBSEP)
	c = f[2] == 1 ? "1 client" : f[2] " clients"
	if (f[1] == "close") return "new connection each, " c
	if (f[1] == "ka") return "keep-alive, " c
	if (f[1] == "ka-1MiB") return "keep-alive 1 MiB, " c
	if (f[1] == "close-https") return "HTTPS, new connection each, " c
	if (f[1] == "ka-https") return "HTTPS keep-alive, " c
	if (f[1] == "ka-1MiB-https") return "HTTPS keep-alive 1 MiB, " c
	return f[1] ", " c
}

function is_https(k) {
	return k ~ /-https/
}

function wl_of(k,    f) {
	split(k, f, SUBSEP)
	return f[1]
}

function clients_of(k,    f) {
	split(k, f, SUBSEP)
	return f[2] + 0
}

# ---------------------------------------------------------------------------
# SVG, with every label's box kept for the layout check

function esc(s) {
	gsub(/&/, "\\&amp;", s)
	gsub(/</, "\\&lt;", s)
	gsub(/>/, "\\&gt;", s)
	gsub(/"/, "\\&quot;", s)
	return s
}

# width(S, FS): the estimated width of S in px; a multi-byte character
# counts as one (mawk counts bytes: more, which errs on the safe side).
function width(s, fs,    t) {
	t = s
	gsub(/[\200-\277]/, "", t)
	return length(t) * fs * CHARW
}

# fit(S, W, MAX): the font size, at most MAX and at least 8, for S in W px.
function fit(s, w, max,    f) {
	f = max
	if (width(s, f) > w)
		f = int(w / (width(s, 1)) * 10) / 10
	return f < 8 ? 8 : f
}

function svg_begin(w) {
	g_w = w
	g_body = ""
	g_nt = 0
}

function el(s) {
	g_body = g_body s "\n"
}

# px(V): a coordinate, to a tenth of a pixel, without a trailing ".0"
function px(v) {
	v = sprintf("%.1f", v)
	sub(/\.0$/, "", v)
	return v == "-0" ? "0" : v
}

function rect(x, y, w, h, fill, extra) {
	el("<rect x=\"" px(x) "\" y=\"" px(y) "\" width=\"" px(w) "\" height=\"" \
	    px(h) "\" fill=\"" fill "\"" extra "/>")
}

function line(x1, y1, x2, y2, stroke, sw) {
	el("<line x1=\"" px(x1) "\" y1=\"" px(y1) "\" x2=\"" px(x2) "\" y2=\"" \
	    px(y2) "\" stroke=\"" stroke "\" stroke-width=\"" sw "\"/>")
}

# whisker(X1, X2, Y): a range, from X1 to X2 with a cap at each end
function whisker(x1, x2, y) {
	el("<path d=\"M" px(x1) " " px(y - 5) "v10M" px(x1) " " px(y) "H" px(x2) \
	    "M" px(x2) " " px(y - 5) "v10\" stroke=\"#111827\" stroke-width=\"1.5\" fill=\"none\"/>")
}

# text(X, Y, S, FS, ANCHOR, EXTRA): one label, its baseline at Y.
function text(x, y, s, fs, anchor, extra,    w, x0) {
	w = width(s, fs)
	x0 = anchor == "end" ? x - w : anchor == "middle" ? x - w / 2 : x
	g_nt++
	TX0[g_nt] = x0
	TX1[g_nt] = x0 + w
	TY0[g_nt] = y - 0.8 * fs
	TY1[g_nt] = y + 0.22 * fs
	TS[g_nt] = s
	el("<text x=\"" px(x) "\" y=\"" px(y) "\" font-size=\"" fs "\"" \
	    anchor_attr(anchor) extra ">" esc(s) "</text>")
}

function anchor_attr(a) {
	if (a == "start" || a == "")
		return ""
	return " text-anchor=\"" a "\""
}

# svg_end(H, CLASS, LABEL): the SVG element; checks its labels.
function svg_end(h, class, label,    i, j) {
	checked_svgs++
	for (i = 1; i <= g_nt; i++) {
		checked_labels++
		if (TX0[i] < -0.5 || TX1[i] > g_w + 0.5 || TY0[i] < -0.5 ||
		    TY1[i] > h + 0.5) {
			outside++
			problems = problems "\n  outside " g_w "x" h ": " TS[i]
		}
		for (j = i + 1; j <= g_nt; j++)
			if (TX0[i] < TX1[j] - 0.5 && TX0[j] < TX1[i] - 0.5 &&
			    TY0[i] < TY1[j] - 0.5 && TY0[j] < TY1[i] - 0.5) {
				overlaps++
				problems = problems "\n  overlap: " TS[i] " / " TS[j]
			}
	}
	# (mawk's sprintf has a small buffer: the body is joined on)
	return sprintf("<svg xmlns=\"http://www.w3.org/2000/svg\"%s width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"%s\" fill=\"#1f2937\" role=\"img\" aria-label=\"%s\">\n",
	    (class == "" ? "" : " class=\"" class "\""), g_w, h, g_w, h,
	    FONT, esc(label)) g_body "</svg>"
}

# ---------------------------------------------------------------------------
# Small multiples: horizontal bars, one row per model, each chart on its
# own scale.  The caller fills MT[i] (title), MR[i] (rows), and for each
# row RL (model), RV (bar end, "" when not measured), RLO and RHI (the
# whisker, "" for none), RT (the value's text) and RX (a second text,
# optional).  Sets g_h.

function multiples(w, n, label, pairs,    cols, gap, cw, i, r, x, y, cy, ch, lw, vw,
    xw, pw, fs, tfs, maxh, top, s, rowh, bh, x0, rows, t, row_y, maxrows, sx) {
	gap = 24
	fs = 12
	rowh = 20
	bh = 12
	cols = int((w + gap) / (300 + gap))
	if (cols < 1)
		cols = 1
	if (cols > n)
		cols = n
	if (pairs && cols > 1)
		cols -= cols % 2	# two charts of one workload side by side
	cw = (w - (cols - 1) * gap) / cols
	# one label and value width for every chart, so the columns line up
	lw = 0
	vw = 0
	xw = 0
	maxrows = 0
	for (i = 1; i <= n; i++) {
		if (MR[i] > maxrows)
			maxrows = MR[i]
		for (r = 1; r <= MR[i]; r++) {
			if (width(RL[i, r], fs) > lw)
				lw = width(RL[i, r], fs)
			if (width(RT[i, r], fs) > vw)
				vw = width(RT[i, r], fs)
			if (RX[i, r] != "" && width(RX[i, r], fs) > xw)
				xw = width(RX[i, r], fs)
		}
	}
	lw += 8
	vw += 8
	if (xw > 0)
		xw += 8
	pw = cw - lw - vw - xw
	ch = 22 + maxrows * rowh + 24
	svg_begin(w)
	for (i = 1; i <= n; i++) {
		x = ((i - 1) % cols) * (cw + gap)
		y = int((i - 1) / cols) * (ch + 12)
		tfs = fit(MT[i], cw, 13)
		text(x, y + 15, MT[i], tfs, "start", " font-weight=\"bold\"")
		maxh = 0
		for (r = 1; r <= MR[i]; r++) {
			if (RV[i, r] != "" && RV[i, r] + 0 > maxh)
				maxh = RV[i, r] + 0
			if (RHI[i, r] != "" && RHI[i, r] + 0 > maxh)
				maxh = RHI[i, r] + 0
		}
		top = nice(maxh * 1.04)	# room past the longest whisker
		x0 = x + lw
		# the axis: 0, half way and the end, on this chart's own
		# scale; its grid lines under the bars
		t = y + 22 + maxrows * rowh + 2
		line(x0 + pw / 2, y + 22, x0 + pw / 2, t, "#e5e7eb", 1)
		line(x0 + pw, y + 22, x0 + pw, t, "#e5e7eb", 1)
		line(x0, t, x0 + pw, t, "#9ca3af", 1)
		text(x0, t + 13, "0", 10, "start", " fill=\"#4b5563\"")
		text(x0 + pw / 2, t + 13, short(top / 2), 10, "middle",
		    " fill=\"#4b5563\"")
		text(x0 + pw, t + 13, short(top), 10, "end", " fill=\"#4b5563\"")
		for (r = 1; r <= MR[i]; r++) {
			row_y = y + 22 + (r - 1) * rowh
			cy = row_y + rowh / 2
			text(x0 - 6, cy + 4, RL[i, r], fs, "end")
			if (RV[i, r] != "") {
				rect(x0, cy - bh / 2, RV[i, r] / top * pw, bh,
				    colour(RL[i, r]), "")
				if (RHI[i, r] != "" && RHI[i, r] > RLO[i, r]) {
					sx = pw / top
					whisker(x0 + RLO[i, r] * sx, x0 + RHI[i, r] * sx,
					    cy)
				}
			}
			text(x0 + pw + 6, cy + 4, RT[i, r], fs, "start")
			if (RX[i, r] != "")
				text(x0 + pw + vw + 6, cy + 4, RX[i, r], fs, "start",
				    " fill=\"#4b5563\"")
		}
	}
	rows = int((n - 1) / cols) + 1
	g_h = rows * ch + (rows - 1) * 12
	return svg_end(g_h, "", label)
}

# ---------------------------------------------------------------------------
# The panels.  Each fills P_ID, P_TITLE, P_READ (the one-line reading),
# P_UNIT, and P_SVG[w] for both widths, or P_NONE (why there is no chart).

function panel_reset() {
	P_READ = ""
	P_UNIT = ""
	P_NONE = ""
	delete P_SVG
	delete MR
}

# the models with rows in A for scenario K, in the models' order
function fill_rows(i, a, k, kind,    j, m, r) {
	r = 0
	for (j = 1; j <= nmodels; j++) {
		m = MODELS[j]
		if (!stat(a, k SUBSEP m))
			continue
		r++
		RL[i, r] = m
		RV[i, r] = s_med
		RLO[i, r] = s_n > 1 ? s_min : ""
		RHI[i, r] = s_n > 1 ? s_max : ""
		RX[i, r] = ""
		if (kind == "rps")
			RT[i, r] = short(s_med)
		else
			RT[i, r] = short(s_med) " µs"
		if (kind == "us" && stat(WRKC, k SUBSEP m))
			RX[i, r] = sprintf("wrk %.0f%%", s_med * 100)
	}
	MR[i] = r
	return r
}

# best(A, K, LOW): the model with the highest (LOW: lowest) median in A
# for K; b_val its median.
function best(a, k, low,    j, m, b) {
	b = ""
	for (j = 1; j <= nmodels; j++) {
		m = MODELS[j]
		if (!stat(a, k SUBSEP m))
			continue
		if (b == "" || (low ? s_med < b_val : s_med > b_val)) {
			b = m
			b_val = s_med
		}
	}
	return b
}

# the scenario of workload WL with the most clients ("" if none)
function scen_for(wl,    i, k, c) {
	k = ""
	c = -1
	for (i = 1; i <= nscen; i++)
		if (wl_of(SCEN[i]) == wl && clients_of(SCEN[i]) > c) {
			k = SCEN[i]
			c = clients_of(SCEN[i])
		}
	return k
}

function med_of(a, k, m) {
	return stat(a, k SUBSEP m) ? s_med : ""
}

function panel_throughput(    i, n, k, w, wins, b, top, topn, kc, f, bm, bv) {
	panel_reset()
	P_ID = "panel-throughput"
	P_TITLE = "1. Throughput"
	P_UNIT = "Requests per second answered, median of " META["rounds"] \
	    " rounds (bar) and their range (whisker); each chart on its own scale. More is better. The single model serves one connection at a time: under keep-alive its bar is the one client it served while the others waited."
	n = 0
	for (i = 1; i <= nscen; i++) {
		k = SCEN[i]
		if (is_https(k))
			continue
		n++
		MT[n] = wl_label(k) ", requests/s"
		fill_rows(n, RPS, k, "rps")
		b = best(RPS, k, 0)
		if (b != "")
			wins[b]++
	}
	if (n == 0) {
		P_NONE = none_why("throughput")
		return
	}
	top = ""
	for (b in wins)
		if (top == "" || wins[b] > wins[top])
			top = b
	P_READ = sprintf("Most requests per second: %s, in %d of %d workloads",
	    top, wins[top], n)
	kc = scen_for("close")
	if (kc != "" && med_of(RPS, kc, "fork") != "") {
		f = med_of(RPS, kc, "fork")
		bm = best(RPS, kc, 0)
		bv = b_val
		if (bm != "fork" && bv > 0)
			P_READ = P_READ sprintf("; with a new connection per request (%d clients) fork answers %.0f%% of what %s does: a process per client costs",
			    clients_of(kc), f / bv * 100, bm)
	}
	P_READ = P_READ "."
	for (w = 1; w <= 2; w++)
		P_SVG[w] = multiples((w == 1 ? WIDE : NARROW), n,
		    "requests per second by model, one chart per workload")
}

function panel_cpu(    i, n, k, w, kc, f, lo, lom, wmax) {
	panel_reset()
	P_ID = "panel-cpu"
	P_TITLE = "2. Server CPU per request"
	P_UNIT = "Microseconds of CPU time of every process of the model (counted by " \
	    META["cpu_method"] ") per request answered, median and range of the rounds; beside it the client's own CPU, wrk's share of its one core. Less is better."
	n = 0
	wmax = 0
	for (i = 1; i <= nscen; i++) {
		k = SCEN[i]
		if (is_https(k))
			continue
		n++
		MT[n] = wl_label(k) ", µs/request"
		fill_rows(n, US, k, "us")
		for (f = 1; f <= MR[n]; f++)
			if (stat(WRKC, k SUBSEP RL[n, f]) && s_med > wmax)
				wmax = s_med
	}
	if (n == 0 || MR[1] == 0) {
		P_NONE = none_why("throughput")
		return
	}
	kc = scen_for("close")
	if (kc != "" && med_of(US, kc, "fork") != "") {
		lom = best(US, kc, 1)
		lo = b_val
		P_READ = sprintf("A new connection costs the fork model %s µs of server CPU, %s %s µs",
		    short(med_of(US, kc, "fork")), lom, short(lo))
	} else
		P_READ = "Server CPU per request by model"
	P_READ = P_READ sprintf("; wrk used up to %.0f%% of its core, and near 100%% the client, not the server, sets the requests per second.",
	    wmax * 100)
	for (w = 1; w <= 2; w++)
		P_SVG[w] = multiples((w == 1 ? WIDE : NARROW), n,
		    "server CPU per request by model, one chart per workload")
}

function panel_latency(    i, n, k, j, m, r, w, kk, lo, hi, lom, him) {
	panel_reset()
	P_ID = "panel-latency"
	P_TITLE = "3. Latency"
	P_UNIT = "Milliseconds from request to response as wrk saw them: the bar ends at the median (p50), the whisker at the 99th percentile (p99); medians of the rounds, each chart on its own scale. Less is better."
	n = 0
	for (i = 1; i <= nscen; i++) {
		k = SCEN[i]
		n++
		MT[n] = wl_label(k) ", ms"
		r = 0
		for (j = 1; j <= nmodels; j++) {
			m = MODELS[j]
			if (!stat(P50, k SUBSEP m))
				continue
			r++
			RL[n, r] = m
			RV[n, r] = s_med
			RLO[n, r] = s_med
			RT[n, r] = short(s_med) " / "
			RHI[n, r] = ""
			RX[n, r] = ""
			if (stat(P99, k SUBSEP m)) {
				RHI[n, r] = s_med
				RT[n, r] = RT[n, r] short(s_med)
			} else
				RT[n, r] = RT[n, r] "-"
		}
		MR[n] = r
	}
	if (n == 0) {
		P_NONE = none_why("throughput")
		return
	}
	kk = scen_for("ka")
	if (kk == "")
		kk = SCEN[1]
	him = best(P99, kk, 0)
	hi = b_val
	lom = best(P99, kk, 1)
	lo = b_val
	P_READ = sprintf("%s: p99 from %s ms (%s) to %s ms (%s).",
	    wl_label(kk), short(lo), lom, short(hi), him)
	for (w = 1; w <= 2; w++)
		P_SVG[w] = multiples((w == 1 ? WIDE : NARROW), n,
		    "latency p50 and p99 by model, one chart per workload")
}

# held(M, STATE): the connections M held, or the clients asked for
function held(m, st) {
	if (MEMN[m, st] > 0)
		return MEMN[m, st]
	return META["mem_clients"]
}

function panel_memory(    s, n, j, m, r, w, c, per, lo, lom, fork_t, fork_p) {
	panel_reset()
	P_ID = "panel-memory"
	P_TITLE = "4. Memory"
	c = META["mem_clients"]
	P_UNIT = "PSS (proportional set size: shared pages divided among the processes that share them) of every process of the model with " \
	    c " keep-alive clients connected, in MiB; and per client, in KiB: that less the PSS with no client, divided by the connections the model held."
	n = 0
	for (s = 1; s <= nstate; s++) {
		n++
		MT[n] = "all processes, " c " " STATE[s] " clients, MiB"
		r = 0
		for (j = 1; j <= nmodels; j++) {
			m = MODELS[j]
			if (!((m, STATE[s]) in MEMP) || MEMP[m, STATE[s]] == "-")
				continue
			r++
			RL[n, r] = m
			RV[n, r] = MEMP[m, STATE[s]] / 1024
			RLO[n, r] = RHI[n, r] = RX[n, r] = ""
			RT[n, r] = short(RV[n, r]) " MiB"
		}
		MR[n] = r
		n++
		MT[n] = "per client, " STATE[s] ", KiB"
		r = 0
		for (j = 1; j <= nmodels; j++) {
			m = MODELS[j]
			if (!((m, STATE[s]) in MEMP) || MEMP[m, STATE[s]] == "-" ||
			    MEMB[m, STATE[s]] == "-" || MEMB[m, STATE[s]] == "")
				continue
			r++
			per = (MEMP[m, STATE[s]] - MEMB[m, STATE[s]]) / held(m, STATE[s])
			if (per < 0)
				per = 0
			RL[n, r] = m
			RV[n, r] = per
			RLO[n, r] = RHI[n, r] = RX[n, r] = ""
			RT[n, r] = short(per) " KiB"
		}
		MR[n] = r
	}
	if (n == 0) {
		P_NONE = none_why("memory")
		return
	}
	lom = ""
	for (j = 1; j <= nmodels; j++) {
		m = MODELS[j]
		if (((m, STATE[1]) in MEMP) && MEMP[m, STATE[1]] != "-" &&
		    (lom == "" || MEMP[m, STATE[1]] + 0 < lo)) {
			lom = m
			lo = MEMP[m, STATE[1]] + 0
		}
	}
	if ((("fork", STATE[1]) in MEMP) && MEMP["fork", STATE[1]] != "-") {
		fork_t = MEMP["fork", STATE[1]] / 1024
		fork_p = ""
		if (MEMB["fork", STATE[1]] != "-")
			fork_p = sprintf(", %s KiB per client", short((MEMP["fork",
			    STATE[1]] - MEMB["fork", STATE[1]]) / held("fork", STATE[1])))
		P_READ = sprintf("With %d %s clients fork holds %s MiB%s (a process each); %s holds the least, %s MiB.",
		    c, STATE[1], short(fork_t), fork_p, lom, short(lo / 1024))
	} else
		P_READ = sprintf("With %d %s clients %s holds the least, %s MiB.",
		    c, STATE[1], lom, short(lo / 1024))
	for (w = 1; w <= 2; w++)
		P_SVG[w] = multiples((w == 1 ? WIDE : NARROW), n,
		    "memory by model with " c " clients")
}

# verdict(M, FAULT): V_CLASS (ok, kept, lost or none) and V_LINE[1..V_N].
function verdict(m, f,    alive, failed, total, ka, dpss, dfds, busy) {
	V_N = 0
	if (!((m, f) in HAVEF) || F[m, f, 7] == "did-not-start") {
		V_CLASS = "none"
		V_LINE[++V_N] = "not run"
		return
	}
	alive = F[m, f, 7] == "yes"
	failed = F[m, f, 5] + 0
	total = F[m, f, 4] + failed
	ka = F[m, f, 21]
	dpss = F[m, f, 12] - F[m, f, 10]
	dfds = F[m, f, 15] - F[m, f, 13]
	busy = F[m, f, 18] + 0
	if (!alive || failed > 0 || (ka != "-" && ka + 0 > 0) ||
	    F[m, f, 9] != "200") {
		V_CLASS = "lost"
		if (!alive)
			V_LINE[++V_N] = "server died"
		else if (F[m, f, 9] != "200")
			V_LINE[++V_N] = "stalled"
		else
			V_LINE[++V_N] = "clients lost"
	} else if (dpss > 2048 || dfds > 0 || busy >= 0.25) {
		V_CLASS = "kept"
		V_LINE[++V_N] = "survived"
	} else {
		V_CLASS = "ok"
		V_LINE[++V_N] = "contained"
	}
	V_LINE[++V_N] = sprintf("lost %d/%d", failed, total)
	if (ka != "-" && ka + 0 > 0)
		V_LINE[++V_N] = sprintf("ka cut %d", ka)
	if (!alive)
		V_LINE[++V_N] = F[m, f, 8]
	else {
		if (dpss > 2048)
			V_LINE[++V_N] = sprintf("+%.0f MiB kept", dpss / 1024)
		if (dfds > 0)
			V_LINE[++V_N] = sprintf("+%d fds kept", dfds)
		if (busy >= 0.25)
			V_LINE[++V_N] = "a core spins"
		if (V_CLASS == "ok")
			V_LINE[++V_N] = "all freed"
	}
}

function vfill(c) {
	if (c == "ok")
		return "#bbf7d0"
	if (c == "kept")
		return "#fde68a"
	if (c == "lost")
		return "#fecaca"
	return "#e5e7eb"
}

function fault_head(f) {
	if (f == "leak") return "leak " META["leak_mb"] " MiB"
	if (f == "fd-leak") return "leak " META["fault_fds"] " fds"
	if (f == "hang") return "hang (spin)"
	return f
}

function matrix(w,    i, j, k, m, lw, cw, fs, maxl, lh, chh, y, x, maxn, lx,
    leg, nleg, lfs, lwid, ly, s) {
	lw = 0
	for (i = 1; i <= nfmodel; i++)
		if (width(FMODEL[i], 13) > lw)
			lw = width(FMODEL[i], 13)
	lw += 10
	cw = (w - lw) / nfaults
	# one font size for every cell: the longest line must fit
	maxl = ""
	maxn = 0
	for (j = 1; j <= nfaults; j++) {
		if (width(fault_head(FAULTS[j]), 1) > width(maxl, 1))
			maxl = fault_head(FAULTS[j])
		for (i = 1; i <= nfmodel; i++) {
			verdict(FMODEL[i], FAULTS[j])
			if (V_N > maxn)
				maxn = V_N
			for (k = 1; k <= V_N; k++)
				if (width(V_LINE[k], 1) > width(maxl, 1))
					maxl = V_LINE[k]
		}
	}
	fs = fit(maxl, cw - 12, 13)
	lh = fs * 1.3
	chh = maxn * lh + 10
	svg_begin(w)
	for (j = 1; j <= nfaults; j++)
		text(lw + (j - 0.5) * cw, 16, fault_head(FAULTS[j]), fs, "middle",
		    " font-weight=\"bold\"")
	y = 24
	for (i = 1; i <= nfmodel; i++) {
		m = FMODEL[i]
		text(lw - 8, y + chh / 2 + 4, m, 13, "end", " font-weight=\"bold\"")
		for (j = 1; j <= nfaults; j++) {
			x = lw + (j - 1) * cw
			verdict(m, FAULTS[j])
			rect(x + 2, y + 2, cw - 4, chh - 4, vfill(V_CLASS),
			    " rx=\"4\"")
			for (k = 1; k <= V_N; k++)
				text(x + cw / 2, y + 5 + k * lh - 0.25 * fs, V_LINE[k],
				    fs, "middle", (k == 1 ? " font-weight=\"bold\"" : ""))
		}
		y += chh
	}
	# the legend: a swatch and its meaning, as many to a line as fit
	nleg = split("ok|kept|lost", leg, "|")
	LEGT["ok"] = "contained: no other client hurt, all freed"
	LEGT["kept"] = "survived; memory, descriptors or a core kept"
	LEGT["lost"] = "server died, or other clients failed"
	lfs = 12
	for (k = 1; k <= nleg; k++)
		if (fit(LEGT[leg[k]], w - 20, 12) < lfs)
			lfs = fit(LEGT[leg[k]], w - 20, 12)
	lx = 0
	ly = y + 10
	for (k = 1; k <= nleg; k++) {
		s = LEGT[leg[k]]
		lwid = 18 + width(s, lfs) + 16
		if (lx > 0 && lx + lwid > w) {
			lx = 0
			ly += lfs + 8
		}
		rect(lx, ly, 12, 12, vfill(leg[k]), " stroke=\"#6b7280\"")
		text(lx + 18, ly + 10, s, lfs, "start")
		lx += lwid
	}
	g_h = ly + 18
	return svg_end(g_h, "", "fault containment: model by fault")
}

function panel_faults(    i, j, w, s, ok, m) {
	panel_reset()
	P_ID = "panel-faults"
	P_TITLE = "5. Fault containment"
	P_UNIT = "One faulty client among steady ones, a fresh server per fault: what the other clients saw (lost: new clients that failed / all of them; ka cut: keep-alive requests that failed) and what the server kept afterwards."
	if (nfmodel == 0) {
		P_NONE = none_why("faults")
		return
	}
	s = ""
	for (i = 1; i <= nfmodel; i++) {
		m = FMODEL[i]
		ok = 0
		for (j = 1; j <= nfaults; j++) {
			verdict(m, FAULTS[j])
			if (V_CLASS == "ok")
				ok++
		}
		s = s (i > 1 ? ", " : "") sprintf("%s %d", m, ok)
	}
	P_READ = "Faults contained (green) of " nfaults ": " s "."
	for (w = 1; w <= 2; w++)
		P_SVG[w] = matrix((w == 1 ? WIDE : NARROW))
}

function panel_tls(    i, n, k, w, kc, kk, lom, lo, lom2, lo2) {
	panel_reset()
	P_ID = "panel-tls"
	P_TITLE = "6. HTTPS"
	P_UNIT = "TLS 1.3 with an ECDSA P-256 certificate: a new connection per request is handshake-bound; keep-alive pays the handshake once. Requests per second (more is better) and µs of server CPU per request with wrk's share of its core (less is better), medians and range of the rounds."
	n = 0
	for (i = 1; i <= nscen; i++) {
		k = SCEN[i]
		if (!is_https(k))
			continue
		n++
		MT[n] = wl_label(k) ", requests/s"
		fill_rows(n, RPS, k, "rps")
		n++
		MT[n] = wl_label(k) ", µs/request"
		fill_rows(n, US, k, "us")
	}
	if (n == 0) {
		if (META["have_tls"] == "1")
			P_NONE = none_why("throughput")
		else
			P_NONE = "Not measured: the server was built without TLS, or openssl could not make a certificate."
		return
	}
	kc = scen_for("close-https")
	kk = scen_for("ka-https")
	P_READ = "Server CPU per request over HTTPS"
	if (kc != "" && kk != "") {
		lom = best(US, kc, 1)
		lo = b_val
		lom2 = best(US, kk, 1)
		lo2 = b_val
		P_READ = sprintf("A new TLS connection costs at least %s µs of server CPU (%s)",
		    short(lo), lom)
		if (med_of(US, kc, "fork") != "")
			P_READ = P_READ sprintf(", %s µs in fork", short(med_of(US, kc, "fork")))
		P_READ = P_READ sprintf("; a kept-alive request %s µs (%s)", short(lo2), lom2)
		if (med_of(US, kk, "fork") != "")
			P_READ = P_READ sprintf(", %s µs in fork", short(med_of(US, kk, "fork")))
	}
	P_READ = P_READ "."
	for (w = 1; w <= 2; w++)
		P_SVG[w] = multiples((w == 1 ? WIDE : NARROW), n,
		    "HTTPS requests per second and server CPU per request", 1)
}

function none_why(part) {
	if (META["parts"] !~ part)
		return "Not measured in this run (COMPARE_PARTS=\"" META["parts"] "\")."
	if (part != "faults" && META["have_wrk"] != "1")
		return "Not measured: wrk is not installed (apt-get install wrk)."
	if (part == "faults" && META["have_faults"] != "1")
		return "Not measured: no fault-injection build (see compare-report.md)."
	return "No numbers: see compare-report.md."
}

# ---------------------------------------------------------------------------
# The page, or the charts alone

function header_text() {
	return "forkhttpd: the process models compared"
}

function sub_text(    m) {
	m = META["mode"] == "quick" ? "a quick run (a smoke test, not a measurement)" : "a full run"
	return META["date"] "; " META["system"] "; " META["server"] "; " m \
	    ", " META["rounds"] " rounds of " META["seconds"] " s per load, the models in alternating order. Client and server share the machine over 127.0.0.1: compare models, not machines."
}

function html_panel(    s) {
	s = "<section id=\"" P_ID "\">\n<h2>" esc(P_TITLE) "</h2>\n"
	if (P_NONE != "")
		return s "<p class=\"none\">" esc(P_NONE) "</p>\n</section>\n"
	s = s "<p class=\"reading\">" esc(P_READ) "</p>\n<p class=\"unit\">" \
	    esc(P_UNIT) "</p>\n"
	sub(/^<svg /, "<svg class=\"wide\" ", P_SVG[1])
	sub(/^<svg /, "<svg class=\"narrow\" ", P_SVG[2])
	return s P_SVG[1] "\n" P_SVG[2] "\n</section>\n"
}

# wrap(S, FS, W, X, Y, EXTRA): S in lines of at most W px from (X, Y);
# returns the y below the last.
function wrap(s, fs, w, x, y, extra,    words, n, i, l, t) {
	n = split(s, words, " ")
	l = ""
	for (i = 1; i <= n; i++) {
		t = l == "" ? words[i] : l " " words[i]
		if (l != "" && width(t, fs) > w) {
			y += fs * 1.35
			text(x, y, l, fs, "start", extra)
			l = words[i]
		} else
			l = t
	}
	if (l != "") {
		y += fs * 1.35
		text(x, y, l, fs, "start", extra)
	}
	return y
}

function add_panel(    j) {
	j = ++npanels
	PN_TITLE[j] = P_TITLE
	PN_READ[j] = P_READ
	PN_UNIT[j] = P_UNIT
	PN_NONE[j] = P_NONE
	PN_SVG[j] = P_SVG[1]
	PN_H[j] = P_NONE == "" ? svg_h(P_SVG[1]) : 0
	PN_HTML[j] = html_panel()
}

function svg_h(s) {
	match(s, /height="[0-9]+"/)
	return substr(s, RSTART + 8, RLENGTH - 9) + 0
}

END {
	# the models in the order the run names them, then any other
	nmodels = split(META["models"], MODELS, " ")
	for (i = 1; i <= nseenm; i++) {
		for (j = 1; j <= nmodels; j++)
			if (MODELS[j] == SEENM[i])
				break
		if (j > nmodels)
			MODELS[++nmodels] = SEENM[i]
	}
	panel_throughput(); add_panel()
	panel_cpu(); add_panel()
	panel_latency(); add_panel()
	panel_memory(); add_panel()
	panel_faults(); add_panel()
	panel_tls(); add_panel()

	if (out == "svg") {
		svg_begin(WIDE)
		y = wrap(header_text(), 20, WIDE, 0, 4, " font-weight=\"bold\"")
		y = wrap(sub_text(), 12, WIDE, 0, y, " fill=\"#4b5563\"")
		body = ""
		for (j = 1; j <= npanels; j++) {
			y += 16
			y = wrap(PN_TITLE[j], 16, WIDE, 0, y, " font-weight=\"bold\"")
			if (PN_NONE[j] != "") {
				y = wrap(PN_NONE[j], 13, WIDE, 0, y, "")
				continue
			}
			y = wrap(PN_READ[j], 13, WIDE, 0, y, " font-weight=\"bold\"")
			y = wrap(PN_UNIT[j], 12, WIDE, 0, y, " fill=\"#4b5563\"")
			y += 10
			s = PN_SVG[j]
			sub(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/,
			    "<svg x=\"0\" y=\"" int(y + 0.5) "\"", s)
			body = body s "\n"
			y = int(y + 0.5) + PN_H[j]
		}
		el(body)
		s = svg_end(int(y + 8), "", header_text())
		# a white background for viewers that show transparency
		sub(/>\n/, ">\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n", s)
		print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		print s
	} else {
		print "<!DOCTYPE html>"
		print "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">"
		print "<head>"
		print "<meta charset=\"utf-8\"/>"
		print "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>"
		print "<title>" esc(header_text()) "</title>"
		print "<style>"
		print "body { font-family: " FONT "; color: #1f2937; margin: 0 auto; padding: 12px; max-width: " WIDE "px; overflow-wrap: anywhere; line-height: 1.35; }"
		print "h1 { font-size: 22px; margin: 8px 0; } h2 { font-size: 18px; margin: 0 0 4px; }"
		print "section { margin: 0 0 32px; } p { margin: 4px 0; }"
		print "p.meta, p.unit { color: #4b5563; font-size: 14px; } p.reading { font-weight: bold; }"
		print "p.unit { margin-bottom: 10px; } p.none { font-style: italic; }"
		print "svg { display: block; max-width: 100%; height: auto; }"
		print "svg.narrow { display: none; }"
		print "@media (max-width: " NARROW_BELOW "px) { svg.wide { display: none; } svg.narrow { display: block; } }"
		print "</style>"
		print "</head>"
		print "<body>"
		print "<h1>" esc(header_text()) "</h1>"
		print "<p class=\"meta\">" esc(sub_text()) "</p>"
		for (j = 1; j <= npanels; j++)
			printf "%s", PN_HTML[j]
		print "<p class=\"meta\">The numbers and how they were taken are in the Markdown report beside this page, the raw rows in the .tsv file.</p>"
		printf "<!-- layout: %d charts, %d labels, %d outside, %d overlapping (estimated widths) -->\n",
		    checked_svgs, checked_labels, outside, overlaps
		print "</body>"
		print "</html>"
	}
	if (outside + overlaps > 0) {
		printf "compare-report.awk: layout: %d labels outside, %d overlapping:%s\n",
		    outside, overlaps, problems > "/dev/stderr"
	}
}
