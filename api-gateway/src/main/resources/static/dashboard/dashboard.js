// The orderflow dashboard: plain JavaScript over the operations API. Every text that comes from the system is put
// into the page with textContent, never as HTML, so event payloads are shown, never run.
(function () {
    'use strict';

    const REFRESH_MILLIS = 2000;
    const CHART_POINTS = 90;
    const views = ['overview', 'processors', 'dead-letters', 'sagas', 'events', 'kafka', 'catalogue', 'audit'];
    let active = 'overview';
    const SVG = 'http://www.w3.org/2000/svg';
    const history = { times: [], lag: {}, throughput: {} };
    let charts = null;

    // An element (HTML, or SVG when a namespace is given) with attributes and children; text stays text.
    function make(namespace, tag, attributes, children) {
        const node = namespace ? document.createElementNS(namespace, tag) : document.createElement(tag);
        Object.entries(attributes || {}).forEach(([name, value]) => {
            if (value !== null && value !== undefined) {
                node.setAttribute(name, value);
            }
        });
        children.flat().forEach(child => {
            if (child === null || child === undefined) {
                return;
            }
            node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
        });
        return node;
    }

    function el(tag, attributes, ...children) {
        return make(null, tag, attributes, children);
    }

    function svg(tag, attributes, ...children) {
        return make(SVG, tag, attributes, children);
    }

    function show(message, isError) {
        const target = document.getElementById('message');
        target.textContent = message || '';
        target.style.color = isError ? '#cf222e' : '#1a7f37';
    }

    // The operator's session cookie signs every call; a change also carries the CSRF token the application put in
    // the XSRF-TOKEN cookie, which a page of another site cannot read.
    function csrfToken() {
        const cookie = document.cookie.split('; ').find(part => part.startsWith('XSRF-TOKEN='));
        return cookie ? decodeURIComponent(cookie.substring('XSRF-TOKEN='.length)) : '';
    }

    async function call(method, path) {
        const headers = { 'Accept': 'application/json' };
        if (method !== 'GET') {
            headers['X-XSRF-TOKEN'] = csrfToken();
        }
        const response = await fetch(path, { method, headers, credentials: 'same-origin' });
        if (response.status === 401) {
            // The session ended: sign in again, coming back to this view.
            window.location.reload();
            throw new Error('signed out; signing in again');
        }
        const text = await response.text();
        const body = text ? JSON.parse(text) : null;
        if (!response.ok) {
            throw new Error((body && (body.detail || body.title)) || ('HTTP ' + response.status));
        }
        return body;
    }

    function time(value) {
        return value ? new Date(value).toLocaleTimeString() : '';
    }

    function replace(tbodyId, rows, emptyText, columns) {
        const tbody = document.getElementById(tbodyId);
        tbody.replaceChildren(...(rows.length ? rows
            : [el('tr', {}, el('td', { colspan: columns, class: 'muted' }, emptyText))]));
    }

    // ---- processors ----

    async function processorAction(name, action) {
        if (action === 'replay' && !window.confirm('Replay ' + name + '? Its projection is rebuilt from the '
            + 'beginning beside the served data; reads switch once the replay has caught up.')) {
            return;
        }
        try {
            await call('POST', '/api/admin/processors/' + encodeURIComponent(name) + '/' + action);
            show(action + ' of ' + name + ' requested');
            refresh();
        } catch (e) {
            show(name + ': ' + e.message, true);
        }
    }

    function progressText(p) {
        if (p.replaying) {
            return (p.progress === null ? 0 : p.progress) + ' %';
        }
        if (p.rebuiltAt) {
            return '100 % (rebuilt ' + time(p.rebuiltAt) + ')';
        }
        return '';
    }

    async function segmentAction(name, segment, action) {
        try {
            await call('POST', '/api/admin/processors/' + encodeURIComponent(name) + '/segments/' + segment + '/'
                + action);
            show(action + ' of ' + name + ' segment ' + segment + ' done');
            refresh();
        } catch (e) {
            show(name + ' segment ' + segment + ': ' + e.message, true);
        }
    }

    function shareText(share) {
        return share >= 1 ? 'all' : '1/' + Math.round(1 / share);
    }

    function segmentItem(p, s) {
        const item = el('li', { 'data-segment': s.segment },
            '#' + s.segment + ' (' + shareText(s.share) + ') ' + (s.owner || 'unclaimed') + ' '
            + (s.position === null ? '?' : s.position) + ' / ' + (s.head === null ? '?' : s.head) + ' ',
            el('button', { type: 'button', class: 'tiny', 'data-segment-action': 'split',
                title: 'Split this segment in two' }, 'split'),
            s.share < 1 ? el('button', { type: 'button', class: 'tiny', 'data-segment-action': 'merge',
                title: 'Merge this segment with its sibling' }, 'merge') : null);
        item.querySelectorAll('button').forEach(button => button.addEventListener('click',
            () => segmentAction(p.name, s.segment, button.dataset.segmentAction)));
        return item;
    }

    function processorRow(p) {
        const segments = el('ul', { class: 'segments' }, p.segments.map(s => segmentItem(p, s)));
        const actions = el('td', {},
            el('button', { type: 'button', class: 'small', 'data-action': p.status === 'PAUSED' ? 'resume' : 'pause' },
                p.status === 'PAUSED' ? 'Resume' : 'Pause'),
            p.replayable ? el('button', { type: 'button', class: 'small', 'data-action': 'replay' }, 'Replay') : null);
        actions.querySelectorAll('button').forEach(button =>
            button.addEventListener('click', () => processorAction(p.name, button.dataset.action)));
        const focused = new URLSearchParams(window.location.search).get('processor') === p.name;
        return el('tr', { 'data-processor': p.name, class: focused ? 'focus' : null },
            el('td', {}, p.name),
            el('td', {}, p.source),
            el('td', {}, p.mode),
            el('td', { class: 'status status-' + p.status }, p.status),
            el('td', {}, segments),
            el('td', { class: 'num lag' }, p.lag === null ? '' : p.lag),
            el('td', { class: 'num' }, p.lagSeconds === null ? '' : p.lagSeconds),
            el('td', { class: 'num' }, p.throughput === null ? '' : p.throughput),
            el('td', { class: 'progress' }, progressText(p)),
            el('td', { class: 'num' }, p.deadLetters === null ? '' : p.deadLetters),
            el('td', { title: p.notReplayableBecause || '' }, p.error || ''),
            actions);
    }

    function record(processors) {
        history.times.push(Date.now() / 1000);
        processors.forEach(p => {
            (history.lag[p.name] = history.lag[p.name] || []).push(p.lag);
            (history.throughput[p.name] = history.throughput[p.name] || []).push(p.throughput);
        });
        const length = history.times.length;
        Object.values(history.lag).concat(Object.values(history.throughput)).forEach(series => {
            while (series.length < length) {
                series.unshift(null);
            }
        });
        if (length > CHART_POINTS) {
            history.times.shift();
            Object.values(history.lag).concat(Object.values(history.throughput)).forEach(series => series.shift());
        }
    }

    function chart(targetId, names) {
        const colours = ['#0969da', '#1a7f37', '#9a6700', '#cf222e', '#8250df', '#1b7c83', '#bc4c00', '#57606a'];
        return new uPlot({
            width: 520, height: 220,
            series: [{}].concat(names.map((name, i) => ({ label: name, stroke: colours[i % colours.length] }))),
            axes: [{}, {}],
        }, [[]].concat(names.map(() => [])), document.getElementById(targetId));
    }

    function drawCharts(names) {
        if (typeof uPlot === 'undefined') {
            return;
        }
        if (!charts || charts.names.join() !== names.join()) {
            document.getElementById('lag-chart').replaceChildren();
            document.getElementById('throughput-chart').replaceChildren();
            charts = { names, lag: chart('lag-chart', names), throughput: chart('throughput-chart', names) };
        }
        charts.lag.setData([history.times].concat(names.map(n => history.lag[n])));
        charts.throughput.setData([history.times].concat(names.map(n => history.throughput[n])));
    }

    async function refreshProcessors() {
        const processors = await call('GET', '/api/admin/processors');
        record(processors);
        replace('processors', processors.map(processorRow), 'no processors', 12);
        drawCharts(processors.map(p => p.name));
    }

    // ---- dead letters ----

    async function openLetter(processor, sequence) {
        try {
            const letters = await call('GET', '/api/admin/dead-letters/' + encodeURIComponent(processor) + '/'
                + encodeURIComponent(sequence));
            document.getElementById('letter-title').textContent = processor + ' / ' + sequence;
            document.getElementById('letter-body').textContent = JSON.stringify(letters, null, 2);
            document.getElementById('letter').hidden = false;
        } catch (e) {
            show(e.message, true);
        }
    }

    async function letterAction(processor, sequence, action) {
        if (action === 'delete' && !window.confirm('Delete the parked events of ' + sequence
            + '? The projection will never apply them.')) {
            return;
        }
        try {
            const path = '/api/admin/dead-letters/' + encodeURIComponent(processor) + '/' + encodeURIComponent(sequence);
            const result = await call(action === 'retry' ? 'POST' : 'DELETE', action === 'retry' ? path + '/retry' : path);
            show(action === 'retry' ? (result.processed ? 'Retried ' + sequence + ': applied'
                : 'Retried ' + sequence + ': still failing, ' + result.stillParked + ' parked') : 'Deleted ' + sequence,
                action === 'retry' && !result.processed);
            refresh();
        } catch (e) {
            show(e.message, true);
        }
    }

    async function refreshDeadLetters() {
        const sequences = await call('GET', '/api/admin/dead-letters');
        replace('dead-letters', sequences.map(s => {
            const buttons = el('td', {},
                el('button', { type: 'button', class: 'small', 'data-action': 'open' }, 'Open'),
                el('button', { type: 'button', class: 'small', 'data-action': 'retry' }, 'Retry'),
                el('button', { type: 'button', class: 'small', 'data-action': 'delete' }, 'Delete'));
            buttons.querySelectorAll('button').forEach(button => button.addEventListener('click', () =>
                button.dataset.action === 'open' ? openLetter(s.processor, s.sequenceId)
                    : letterAction(s.processor, s.sequenceId, button.dataset.action)));
            return el('tr', { 'data-sequence': s.sequenceId },
                el('td', {}, s.processor), el('td', {}, s.sequenceId), el('td', { class: 'num' }, s.size),
                el('td', {}, (s.causeType ? s.causeType + ': ' : '') + (s.cause || '')), el('td', {}, time(s.enqueuedAt)),
                buttons);
        }), 'nothing parked', 6);
    }

    // ---- sagas ----

    async function refreshSagas() {
        const state = document.getElementById('saga-state').value;
        const sagas = await call('GET', '/api/admin/sagas?limit=200' + (state ? '&state=' + state : ''));
        replace('sagas', sagas.map(s => el('tr', { 'data-saga': s.orderId },
            el('td', {}, s.orderId), el('td', {}, s.step),
            el('td', {}, s.stuckCause ? s.stuckAt + ': ' + s.stuckCause : ''),
            el('td', { class: 'num' }, s.paymentAttempts),
            el('td', {}, s.associations.map(a => a.key + '=' + a.value).join(', ')),
            el('td', {}, s.deadlines.map(d => d.name + ' ' + time(d.dueAt)).join(', ')))), 'no running saga', 6);
    }

    // ---- audit ----

    async function refreshAudit() {
        const entries = await call('GET', '/api/admin/audit?limit=200');
        replace('audit', entries.map(e => el('tr', { 'data-audit': e.id },
            el('td', {}, new Date(e.at).toLocaleString()), el('td', {}, e.actor), el('td', {}, e.action),
            el('td', {}, e.target), el('td', { class: e.status < 400 ? '' : 'error' }, e.outcome))),
            'no operator action yet', 5);
    }

    // ---- events ----

    function eventRows(events) {
        replace('events', events.map(e => el('tr', { 'data-event': e.eventId },
            el('td', { class: 'num' }, e.globalIndex), el('td', {}, time(e.timestamp)),
            el('td', {}, e.aggregateType ? e.aggregateType + ' ' + e.aggregateId : '(no aggregate) ' + e.eventId),
            el('td', { class: 'num' }, e.sequenceNumber),
            el('td', {}, e.type), el('td', {}, e.topic ? e.topic + (e.forwarded ? '' : ' (not yet)') : ''),
            el('td', {}, el('pre', { class: 'payload' }, JSON.stringify(e.payload, null, 1))))), 'no events', 7);
    }

    /** The invoices and credit notes of the orders shown, each a link that opens its PDF. */
    async function showBilling(orderIds) {
        const items = [];
        for (const orderId of orderIds) {
            try {
                const billing = await call('GET', '/api/invoices?orderId=' + encodeURIComponent(orderId));
                const documents = billing.documents.map(d => el('li', { 'data-document': d.number },
                    el('a', { href: d.pdf, target: '_blank', rel: 'noopener' }, d.number), ' ',
                    d.kind === 'CREDIT_NOTE' ? 'credit note for ' + d.refersTo : 'invoice', ', ', d.total, ' ',
                    d.currency, ', to ', d.billingAddress.city, ' (', time(d.issuedAt), ')'));
                items.push(el('li', { 'data-billing': orderId }, 'Order ' + orderId + ' billing: ' + billing.state,
                    el('ul', {}, documents)));
            } catch (e) {
                // Billing has not heard of it (yet), or the id is a customer's: nothing to show.
            }
        }
        document.getElementById('billing').replaceChildren(...items);
    }

    /** The trace's events, Kafka hops, notifications and payments, as the timeline. */
    async function showTimeline(traceId) {
        const trace = await call('GET', '/api/admin/traces/' + encodeURIComponent(traceId));
        document.getElementById('timeline-title').textContent = 'Trace ' + trace.traceId + ': '
            + trace.timeline.length + ' steps, orders ' + trace.orderIds.join(', ');
        document.getElementById('timeline').replaceChildren(...trace.timeline.map(t => el('li',
            { 'data-kind': t.kind }, el('span', { class: 'kind' }, t.kind), ' ', time(t.at), ' ',
            el('strong', {}, t.title), ' ', el('span', { class: 'muted' }, t.detail))));
        eventRows(trace.events);
        await showBilling(trace.orderIds);
    }

    async function followTrace(event) {
        const traceId = document.getElementById('trace-id').value.trim();
        if (event) {
            event.preventDefault();
            window.history.pushState(null, '', '?' + new URLSearchParams({ view: 'events', traceId }).toString());
        }
        // The timeline and the waterfall are asked for together; either one failing leaves the other shown.
        const failures = [];
        await Promise.all([
            showTimeline(traceId).catch(e => failures.push(e.message)),
            showWaterfall(traceId).catch(e => {
                clearWaterfall();
                failures.push('the trace\'s spans: ' + e.message);
            })]);
        show(failures.join('; '), failures.length > 0);
    }

    // ---- a trace's spans, as a waterfall ----

    /** Milliseconds as an operator reads them: "0.02 ms", "12.4 ms", "8 ms", "240 ms". */
    function millis(value) {
        const ms = Number(value) || 0;
        const scale = ms >= 100 ? 1 : ms >= 1 ? 10 : 100;
        return Math.round(ms * scale) / scale + ' ms';
    }

    /** A Kafka receive span: it lasts from the record's write to its read, the time it waited in its topic. */
    function waitsInTopic(span) {
        return span.kind === 'CONSUMER' && span.waitInTopicMs !== null && span.waitInTopicMs !== undefined;
    }

    function clearWaterfall() {
        const target = document.getElementById('waterfall');
        target.replaceChildren();
        target.hidden = true;
        target.removeAttribute('data-recorded');
    }

    /** A percentage of the trace's length, for a CSS position (bars are plain divs, sized in %). */
    function percent(ms, total) {
        return Math.min(100, Math.max(0, ms / total * 100));
    }

    function spanRow(span, total) {
        const left = percent(span.offsetMs, total);
        const width = Math.min(100 - left, percent(span.durationMs, total));
        const waiting = waitsInTopic(span);
        const bar = el('div', { class: 'span-bar' });
        bar.style.left = left + '%';
        bar.style.width = width + '%';
        const label = el('span', { class: 'span-time' },
            waiting ? 'waiting in ' + (span.topic || 'its topic') + ': ' + millis(span.waitInTopicMs)
                : millis(span.durationMs),
            el('span', { class: 'offset' }, ' +' + millis(span.offsetMs)));
        // The label beside its bar: after it when there is room, before it otherwise, over it for a long span.
        const end = left + width;
        if (end <= 70) {
            label.style.left = end + '%';
        } else if (left >= 30) {
            label.style.right = (100 - left) + '%';
        } else {
            label.style.left = left + '%';
            label.classList.add('over');
        }
        const name = el('div', { class: 'span-name' }, span.name);
        name.style.paddingLeft = (0.3 + Math.min(span.depth || 0, 16) * 0.85) + 'rem';
        const details = [span.name, span.kind.toLowerCase() + (waiting ? ', waiting in the topic' : '')
            + (span.error ? ', failed' : ''), 'starts at +' + millis(span.offsetMs) + ', lasts '
            + millis(span.durationMs), span.topic ? 'topic ' + span.topic : null, 'span ' + span.spanId];
        return el('div', {
            class: 'span-row kind-' + span.kind.toLowerCase() + (waiting ? ' waiting' : '')
                + (span.error ? ' error' : ''),
            'data-kind': span.kind, 'data-span': span.spanId, 'data-depth': span.depth,
            'data-waiting': waiting ? 'true' : null, 'data-error': span.error ? 'true' : null,
            title: details.filter(Boolean).join('\n'),
        }, name, el('div', { class: 'span-track' }, bar, label));
    }

    /** A round step for the time axis: 1, 2 or 5 times a power of ten, for four to ten ticks. */
    function axisStep(total) {
        const rough = total / 4;
        const power = Math.pow(10, Math.floor(Math.log10(rough)));
        return power * (rough / power >= 5 ? 5 : rough / power >= 2 ? 2 : 1);
    }

    function waterfallAxis(total, step) {
        const ticks = [];
        for (let i = 0; i * step < total; i++) {
            const at = percent(i * step, total);
            const tick = el('span', { class: 'tick' + (at > 92 ? ' last' : '') }, millis(i * step));
            tick.style.left = at + '%';
            ticks.push(tick);
        }
        return el('div', { class: 'waterfall-axis' }, el('div', { class: 'span-name muted' }, 'span'),
            el('div', { class: 'span-track' }, ticks));
    }

    const WATERFALL_LEGEND = [
        ['kind-server', 'server: a request it served'],
        ['kind-client', 'client: a call to another service'],
        ['kind-producer', 'producer: an event published, a record written'],
        ['kind-consumer', 'consumer: a message handled'],
        ['waiting', 'waiting in a Kafka topic'],
        ['kind-internal', 'internal'],
        ['error', 'failed'],
    ];

    function drawWaterfall(waterfall) {
        const target = document.getElementById('waterfall');
        target.hidden = false;
        target.dataset.recorded = String(waterfall.recorded);
        if (!waterfall.recorded || !waterfall.spans.length) {
            target.replaceChildren(el('p', { class: 'waterfall-none' }, 'This instance holds no spans of trace '
                + waterfall.w3cTraceId + ' (it was not sampled, tracing is off, or its spans are gone from memory); '
                + 'the trace backend (OTLP) has them if one is configured.'));
            return;
        }
        const spans = waterfall.spans;
        const total = spans.reduce((longest, s) => Math.max(longest, s.offsetMs + s.durationMs),
            Math.max(waterfall.durationMs, 0.001));
        const step = axisStep(total);
        // Every row's grid line at each tick of the axis.
        target.style.setProperty('--waterfall-grid', percent(step, total) + '%');
        // Each consumer group reads a record on its own, so waits overlap: the longest says more than their sum.
        const waits = spans.filter(waitsInTopic);
        const longest = waits.reduce((most, s) => Math.max(most, Number(s.waitInTopicMs)), 0);
        target.replaceChildren(
            el('h3', { class: 'waterfall-title' }, 'Spans: ' + millis(waterfall.durationMs) + ' in total, '
                + spans.length + (spans.length === 1 ? ' span' : ' spans')
                + (waits.length ? ', ' + waits.length + (waits.length === 1 ? ' Kafka receive' : ' Kafka receives')
                    + ' (the longest wait in a topic ' + millis(longest) + ')' : ''),
                el('span', { class: 'muted' }, ' W3C trace id ' + waterfall.w3cTraceId)),
            el('ul', { class: 'legend waterfall-legend' }, WATERFALL_LEGEND.map(([kind, text]) =>
                el('li', {}, el('span', { class: 'swatch span-swatch ' + kind }), text))),
            waterfallAxis(total, step),
            el('div', { class: 'span-rows' }, spans.map(span => spanRow(span, total))));
    }

    async function showWaterfall(traceId) {
        drawWaterfall(await call('GET', '/api/admin/traces/' + encodeURIComponent(traceId) + '/spans'));
    }

    async function showAggregate(event) {
        const id = document.getElementById('aggregate-id').value.trim();
        if (event) {
            event.preventDefault();
            window.history.pushState(null, '', '?' + new URLSearchParams({ view: 'events', aggregateId: id })
                .toString());
        }
        try {
            const events = await call('GET', '/api/admin/events?aggregateId=' + encodeURIComponent(id));
            document.getElementById('timeline-title').textContent = 'Aggregate ' + id + ': ' + events.length
                + ' events';
            document.getElementById('timeline').replaceChildren();
            clearWaterfall();
            eventRows(events);
            await showBilling([id]);
            show('');
        } catch (e) {
            show(e.message, true);
        }
    }

    // ---- kafka ----

    async function refreshKafka() {
        const topics = await call('GET', '/api/admin/kafka/topics');
        replace('topics', topics.map(t => el('tr', { 'data-topic': t.topic },
            el('td', {}, t.topic + (t.reachable ? '' : ' (brokers not reachable)')),
            el('td', {}, el('ul', {}, t.partitions.map(p => el('li', {}, 'p' + p.partition + ': leader '
                + p.leader + ', replicas ' + p.replicas.join(',') + ', in sync ' + p.inSyncReplicas.join(',')
                + ', end ' + p.endOffset)))),
            el('td', {}, el('ul', {}, t.consumers.map(c => el('li', {}, c.processor + ' (lag '
                + (c.lag === null ? '?' : c.lag) + ')')))))), 'no topics', 3);
        const streams = await call('GET', '/api/admin/kafka/streams');
        replace('streams', streams.map(s => el('tr', { 'data-streams': s.applicationId },
            el('td', {}, s.applicationId),
            el('td', { class: 'status' }, s.state),
            el('td', {}, el('ul', {}, s.threads.map(t => el('li', {}, t.name + ' ' + t.state + ': active '
                + (t.activeTasks.join('; ') || 'none') + ', standby ' + (t.standbyTasks.join('; ') || 'none'))))),
            el('td', {}, el('ul', {}, Object.entries(s.metrics).map(([name, value]) => el('li', {}, name + ' '
                + (Number.isInteger(value) ? value : value.toFixed(2)))))))),
            'no stream-processing application runs in this application', 4);
        document.getElementById('streams-topology').textContent = streams.map(s => s.topology).join('\n');
        const connect = await call('GET', '/api/admin/kafka/connect');
        document.getElementById('connect-cluster').textContent = connect.url === null
            ? 'No Kafka Connect cluster is configured (orderflow.connect.url).'
            : 'Connect REST API ' + connect.url + (connect.reachable ? '' : ': ' + connect.error);
        const files = Object.fromEntries(connect.files.map(f => [f.name, f]));
        const names = [...new Set([...connect.connectors.map(c => c.name), ...connect.files.map(f => f.name)])];
        replace('connectors', names.sort().map(name => {
            const c = connect.connectors.find(x => x.name === name);
            const f = files[name];
            return el('tr', { 'data-connector': name },
                el('td', {}, name),
                el('td', {}, c ? c.type + ' ' + c.connectorClass : ''),
                el('td', { class: 'status', title: c && c.trace ? c.trace : '' }, c ? c.state : 'absent'),
                el('td', {}, el('ul', {}, (c ? c.tasks : []).map(t => el('li', { title: t.trace || '' },
                    'task ' + t.id + ' ' + t.state + ' on ' + t.workerId)))),
                el('td', { title: f && f.message ? f.message : '' }, f ? f.state : 'not from a file'));
        }), 'no connectors', 5);
    }

    // ---- event catalogue (AsyncAPI) ----

    async function refreshCatalogue() {
        if (document.getElementById('catalogue').children.length > 0) {
            return; // Made from the code at start-up: it does not change while the page is open.
        }
        const document_ = await call('GET', '/api/asyncapi');
        const resolve = ref => ref.substring(2).split('/').reduce((node, key) => node[key], document_);
        replace('catalogue', Object.values(document_.channels).map(channel => {
            const messages = Object.values(channel.messages).map(ref => resolve(ref.$ref));
            return el('tr', { 'data-channel': channel.address },
                el('td', {}, channel.address),
                el('td', {}, messages.length ? messages[0].bindings.kafka.key.description : ''),
                el('td', {}, channel.description),
                el('td', {}, el('ul', {}, messages.map(m => el('li', {},
                    el('details', {}, el('summary', {}, m.title),
                        el('pre', { class: 'payload' },
                            JSON.stringify(resolve(m.payload.$ref).schema, null, 1))))))));
        }), 'no topics', 4);
        const headers = document_.components.schemas.RecordHeaders;
        document.getElementById('catalogue-headers').replaceChildren(...Object.entries(headers.properties)
            .map(([name, header]) => el('li', {}, el('code', {}, name), ' ', header.description)));
    }

    // ---- overview: the flow as a live picture ----

    // The last few readings, for rates (the change between the first and the last) and for "stuck" (a lag above 0
    // that did not go down once in the window: what the OrderflowConsumerLagging alert judges over minutes).
    const FLOW_WINDOW = 6;
    const flowSamples = [];

    function sum(values) {
        return values.reduce((total, value) => total + (value || 0), 0);
    }

    /** Per second, between the oldest and the newest reading of the window; null until there are two. */
    function rate(pick) {
        if (flowSamples.length < 2) {
            return null;
        }
        const first = flowSamples[0];
        const last = flowSamples[flowSamples.length - 1];
        const a = pick(first);
        const b = pick(last);
        if (a === null || a === undefined || b === null || b === undefined || last.at <= first.at || b < a) {
            return null;
        }
        return (b - a) / (last.at - first.at);
    }

    function stuck(name) {
        if (flowSamples.length < FLOW_WINDOW) {
            return false;
        }
        const lags = flowSamples.map(sample => sample.lag[name]);
        if (lags.some(lag => lag === null || lag === undefined || lag <= 0)) {
            return false;
        }
        return lags.every((lag, i) => i === 0 || lag >= lags[i - 1]);
    }

    function processorState(p) {
        if (!p) {
            return 'idle';
        }
        if (p.status === 'ERROR') {
            return 'error';
        }
        if (p.status === 'PAUSED') {
            return 'paused';
        }
        return stuck(p.name) ? 'stuck' : 'ok';
    }

    function perSecond(value) {
        return value === null ? '' : (value >= 10 ? Math.round(value) : Math.round(value * 10) / 10) + '/s';
    }

    function processorTitle(name) {
        return name === '__axon-kafka-event-publishing-group' ? 'Kafka publisher' : name;
    }

    /** The flow's nodes (in columns) and edges, from the operations API's answers. */
    function flowModel(processors, topics, streams, connect) {
        const byName = Object.fromEntries(processors.map(p => [p.name, p]));
        const storeProcessors = processors.filter(p => p.source === 'event-store');
        const kafkaProcessors = processors.filter(p => p.source.startsWith('kafka:'));
        const storeHead = Math.max(0, ...storeProcessors.flatMap(p => p.segments.map(s => s.head || 0)));
        const topicEnds = Object.fromEntries(topics.map(t => [t.topic, sum(t.partitions.map(p => p.endOffset))]));
        flowSamples.push({ at: Date.now() / 1000, storeHead, topicEnds,
            lag: Object.fromEntries(processors.map(p => [p.name, p.lag])) });
        while (flowSamples.length > FLOW_WINDOW) {
            flowSamples.shift();
        }
        const storeRate = rate(sample => sample.storeHead);
        const nodes = [];
        const edges = [];
        const node = (id, column, title, detail, state, processor) =>
            nodes.push({ id, column, title, detail, state, processor });
        const edge = (from, to, label, state) => edges.push({ from, to, label, state });

        node('api', 0, 'REST API', 'commands and queries', 'ok');
        node('aggregates', 1, 'Aggregates', 'orders · customers · stock', 'ok');
        node('store', 2, 'Event store', 'head ' + storeHead + (storeRate === null ? '' : ' · ' + perSecond(storeRate)),
            'ok');
        edge('api', 'aggregates', 'commands', 'ok');
        edge('aggregates', 'store', storeRate === null ? 'events' : perSecond(storeRate), 'ok');

        const lagText = p => (p.lag === null ? 'lag ?' : 'lag ' + p.lag)
            + (p.throughput === null ? '' : ' · ' + perSecond(p.throughput));
        storeProcessors.forEach(p => {
            const state = processorState(p);
            node('p:' + p.name, 3, processorTitle(p.name), p.status + (p.replaying ? ' · replaying' : ''), state,
                p.name);
            edge('store', 'p:' + p.name, lagText(p), state);
        });
        const connectors = connect.connectors || [];
        const connectorState = c => c.state === 'RUNNING' ? 'ok' : c.state === 'PAUSED' ? 'paused' : 'error';
        connectors.filter(c => c.type === 'source').forEach(c => {
            node('c:' + c.name, 3, 'Connect: ' + c.name, 'source · ' + c.state, connectorState(c));
            edge('store', 'c:' + c.name, 'change data', connectorState(c));
        });

        const describedTopics = topics.slice().sort((a, b) => a.topic.localeCompare(b.topic));
        describedTopics.forEach(t => {
            const underReplicated = t.partitions.filter(p => p.inSyncReplicas.length < p.replicas.length).length;
            const topicRate = rate(sample => sample.topicEnds[t.topic]);
            node('t:' + t.topic, 4, t.topic.replace(/^orderflow\./, ''),
                'end ' + topicEnds[t.topic] + (topicRate === null ? '' : ' · ' + perSecond(topicRate))
                + (underReplicated ? ' · ' + underReplicated + ' under-replicated' : '')
                + (t.reachable ? '' : ' · unreachable'),
                !t.reachable ? 'error' : underReplicated ? 'stuck' : 'ok');
        });
        const routed = ['orderflow.shipping-address-changed', 'orderflow.billing-address-changed'];
        const publisher = byName['__axon-kafka-event-publishing-group'];
        describedTopics.filter(t => !t.topic.startsWith('orderflow.cdc.') && !routed.includes(t.topic))
            .forEach(t => publisher && edge('p:' + publisher.name, 't:' + t.topic,
                perSecond(rate(sample => sample.topicEnds[t.topic])), processorState(publisher)));
        connectors.filter(c => c.type === 'source').forEach(c => describedTopics
            .filter(t => t.topic.startsWith('orderflow.cdc.'))
            .forEach(t => edge('c:' + c.name, 't:' + t.topic, '', connectorState(c))));

        kafkaProcessors.forEach(p => {
            const state = processorState(p);
            node('p:' + p.name, 5, processorTitle(p.name), p.status + (p.replaying ? ' · replaying' : ''), state,
                p.name);
            p.source.substring('kafka:'.length).split(',').forEach(topic => {
                const described = topics.find(t => t.topic === topic);
                const consumer = described && described.consumers.find(c => c.processor === p.name);
                const lag = consumer && consumer.lag !== null ? consumer.lag : p.lag;
                edge('t:' + topic, 'p:' + p.name, 'lag ' + (lag === null ? '?' : lag)
                    + (p.throughput === null ? '' : ' · ' + perSecond(p.throughput)), state);
            });
        });
        streams.forEach(application => {
            const state = application.state === 'RUNNING' ? 'ok'
                : application.state === 'REBALANCING' ? 'paused' : 'error';
            node('s:' + application.applicationId, 5, 'Address router', 'Kafka Streams · ' + application.state, state);
            edge('t:orderflow.customer-events', 's:' + application.applicationId, 'exactly once', state);
            routed.forEach(topic => edge('s:' + application.applicationId, 't:' + topic, '', state));
        });
        connectors.filter(c => c.type === 'sink').forEach(c => {
            node('c:' + c.name, 5, 'Connect: ' + c.name, 'sink · ' + c.state, connectorState(c));
            describedTopics.filter(t => t.topic === 'orderflow.cdc.order-facts')
                .forEach(t => edge('t:' + t.topic, 'c:' + c.name, '', connectorState(c)));
        });
        return { nodes, edges: edges.filter(e =>
            nodes.some(n => n.id === e.from) && nodes.some(n => n.id === e.to)) };
    }

    const COLUMN_X = [10, 225, 440, 670, 920, 1310];
    const FLOW_WIDTH = 1490;
    const COLUMN_NAMES = ['client', 'write side', 'source of truth', 'reads the store', 'Kafka topics', 'reads Kafka'];
    const NODE_WIDTH = 170;
    const NODE_HEIGHT = 40;
    const ROW = 52;

    function drawFlow(model) {
        const rows = Math.max(...[0, 1, 2, 3, 4, 5].map(c => model.nodes.filter(n => n.column === c).length));
        const height = 40 + rows * ROW;
        const position = {};
        [0, 1, 2, 3, 4, 5].forEach(column => {
            const inColumn = model.nodes.filter(n => n.column === column);
            const top = 30 + (rows - inColumn.length) * ROW / 2;
            inColumn.forEach((n, i) => { position[n.id] = { x: COLUMN_X[column], y: top + i * ROW }; });
        });
        const target = document.getElementById('flow');
        target.setAttribute('viewBox', '0 0 ' + FLOW_WIDTH + ' ' + height);
        target.setAttribute('height', String(Math.round(height * 1.05)));
        const defs = svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: '9', refY: '5',
            markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse' },
            svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#8c959f' })));
        const columns = COLUMN_NAMES.map((name, i) => svg('text', { class: 'column', x: COLUMN_X[i], y: 16 }, name));
        const edges = model.edges.map(e => {
            const from = position[e.from];
            const to = position[e.to];
            const forward = to.x > from.x;
            const x1 = forward ? from.x + NODE_WIDTH : from.x;
            const x2 = forward ? to.x : to.x + NODE_WIDTH;
            const y1 = from.y + NODE_HEIGHT / 2;
            const y2 = to.y + NODE_HEIGHT / 2;
            const bend = forward ? Math.max(40, (x2 - x1) / 2) : -80;
            const d = 'M ' + x1 + ' ' + y1 + ' C ' + (x1 + bend) + ' ' + y1 + ', ' + (x2 - bend) + ' ' + y2 + ', '
                + x2 + ' ' + y2;
            // The label sits on the curve, nearer the end for edges that fan into a column of consumers, so that
            // the labels of one source's edges do not pile up at one point.
            const t = forward && to.x > from.x + NODE_WIDTH + 150 ? 0.7 : 0.5;
            const point = (a, b, c, e2) => (1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t ** 2 * c
                + t ** 3 * e2;
            const lx = point(x1, x1 + bend, x2 - bend, x2);
            const ly = point(y1, y1, y2, y2);
            return svg('g', { class: 'edge state-' + e.state, 'data-from': e.from, 'data-to': e.to },
                svg('path', { d }),
                e.label ? svg('text', { x: lx, y: ly - 4, 'text-anchor': 'middle' }, e.label) : null);
        });
        const nodes = model.nodes.map(n => {
            const at = position[n.id];
            const group = svg('g', { class: 'node state-' + n.state + (n.processor ? ' clickable' : ''),
                'data-node': n.id, 'data-state': n.state, transform: 'translate(' + at.x + ',' + at.y + ')' },
                svg('title', {}, n.title + ': ' + n.detail),
                svg('rect', { width: NODE_WIDTH, height: NODE_HEIGHT }),
                svg('text', { class: 'title', x: 8, y: 16 }, n.title.length > 24 ? n.title.substring(0, 23) + '…'
                    : n.title),
                svg('text', { class: 'detail', x: 8, y: 32 }, n.detail.length > 30 ? n.detail.substring(0, 29) + '…'
                    : n.detail));
            if (n.processor) {
                group.addEventListener('click', () => navigate({ view: 'processors', processor: n.processor }));
            }
            return group;
        });
        target.replaceChildren(defs, ...columns, ...edges, ...nodes);
    }

    async function refreshOverview() {
        const [processors, topics, streams, connect] = await Promise.all([
            call('GET', '/api/admin/processors'), call('GET', '/api/admin/kafka/topics'),
            call('GET', '/api/admin/kafka/streams'), call('GET', '/api/admin/kafka/connect')]);
        record(processors);
        drawFlow(flowModel(processors, topics, streams, connect));
    }

    // ---- navigation and refresh ----

    const refreshers = {
        'overview': refreshOverview, 'processors': refreshProcessors, 'dead-letters': refreshDeadLetters, 'sagas': refreshSagas,
        'kafka': refreshKafka, 'catalogue': refreshCatalogue, 'audit': refreshAudit,
    };

    async function refresh() {
        try {
            if (active !== 'processors' && active !== 'overview') {
                // The charts keep their history whatever is shown.
                record(await call('GET', '/api/admin/processors'));
            }
            if (refreshers[active]) {
                await refreshers[active]();
            }
            document.getElementById('refreshed').textContent = 'updated ' + new Date().toLocaleTimeString();
        } catch (e) {
            show('refresh failed: ' + e.message, true);
        }
    }

    /**
     * Opens a view and says so in the address bar, so that the link can be shared: the view, and the processor,
     * trace or aggregate it shows.
     */
    function navigate(state) {
        const query = new URLSearchParams();
        Object.entries(state).forEach(([name, value]) => { if (value) { query.set(name, value); } });
        window.history.pushState(state, '', '?' + query.toString());
        activate(state.view);
    }

    function activate(view) {
        active = view;
        views.forEach(v => { document.getElementById('view-' + v).hidden = v !== view; });
        document.querySelectorAll('nav button').forEach(b => b.classList.toggle('active', b.dataset.view === view));
        show('');
        refresh();
    }

    document.querySelectorAll('nav button').forEach(b => b.addEventListener('click',
        () => navigate({ view: b.dataset.view })));
    window.addEventListener('popstate', () => openFromAddress());
    document.getElementById('trace-form').addEventListener('submit', followTrace);
    document.getElementById('aggregate-form').addEventListener('submit', showAggregate);
    document.getElementById('saga-state').addEventListener('change', refresh);
    document.getElementById('sign-out').addEventListener('click', () => {
        const form = el('form', { method: 'post', action: '/logout' },
            el('input', { type: 'hidden', name: '_csrf', value: csrfToken() }));
        document.body.appendChild(form);
        form.submit();
    });
    /** The view the address names, with the trace or aggregate it follows (a shared link). */
    function openFromAddress() {
        const query = new URLSearchParams(window.location.search);
        const requested = query.get('view');
        activate(views.includes(requested) ? requested : 'overview');
        if (active === 'events' && query.get('traceId')) {
            document.getElementById('trace-id').value = query.get('traceId');
            followTrace();
        } else if (active === 'events' && query.get('aggregateId')) {
            document.getElementById('aggregate-id').value = query.get('aggregateId');
            showAggregate();
        }
    }

    openFromAddress();
    setInterval(refresh, REFRESH_MILLIS);
}());
