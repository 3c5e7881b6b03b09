"""``juesuan serve``: the same buttons for WPS 表格 and the browser, through a local HTTP service.

Excel users have the xlwings ribbon; WPS users (and anyone without either) talk to a small
service on ``127.0.0.1`` that runs the very same pipeline as the command line on a private copy
of their workbook and answers with *sheet edits* (:mod:`.edits`) or files.

Modules, one job each:

- :mod:`.token`    the per-install secret (``~/.juesuan/token``, mode 0600) and the service's folder;
- :mod:`.snapshot` a workbook snapshot (the used range of every sheet, values and formulas, as
  JSON) ⇄ a temporary .xlsx in the service's folder;
- :mod:`.pipeline` fill / check --write / narrate / export on a file, as the CLI does;
- :mod:`.edits`    the difference between the snapshot and the pipeline's result as sheet edits
  (cells, row insertions, styles, new sheets, links, comments, charts) — the JSON the WPS add-in
  applies (``addin/wps/js/et.js``);
- :mod:`.app`      the Starlette application: authentication, one request at a time, size limits,
  the browser page and the add-in's files;
- :mod:`.command`  ``juesuan serve`` and ``juesuan wps install``.

Security model (why another local web page or another user cannot drive the service):

1. It listens on 127.0.0.1 only, unless ``--host`` says otherwise.
2. Every API request carries the install's token in the ``X-Juesuan-Token`` header, compared in
   constant time.  A custom header cannot be sent cross-origin without a CORS preflight, which
   the service never grants; a POST with a foreign ``Origin`` is refused as well.
3. The page and the add-in learn the token only from their own address: they are served under
   ``/s/<token>/`` (the browser page) and ``/s/<token>/wps/`` (the WPS add-in, the ``url`` that
   ``juesuan wps install`` writes into the user's ``publish.xml``, mode 0600).  Only a script of
   that same origin can read ``location.pathname``; no endpoint hands the token out.  (A path
   segment, not a query string or fragment, because WPS appends ``ribbon.xml`` to the add-in's
   url.)  Responses carry ``Referrer-Policy: no-referrer`` so the address never leaks, and
   the access log is off.
4. The ``Host`` header must name the loopback address and port the service listens on, so a
   DNS-rebinding page (``evil.example`` resolved to 127.0.0.1) is refused before anything runs.
5. The token file is readable by its owner only; other users of the machine cannot read it.
"""
