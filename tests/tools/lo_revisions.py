#!/usr/bin/python3
"""Inspect the tracked changes of a .docx with a real LibreOffice instance.

Run with the SYSTEM python (it needs LibreOffice's ``uno`` module, from the
python3-uno package), not with the project's venv:

    /usr/bin/python3 tests/tools/lo_revisions.py IN.docx [--timeout SECONDS]

Prints ONE JSON object to stdout and exits 0:

    {"redlines": [{"type": "Insert", "author": "...", "date": "YYYY-MM-DDTHH:MM:SS"}, ...],
     "comments": <number of annotation fields (comments, replies included)>,
     "accepted_text": <plain text after Accept All tracked changes>,
     "rejected_text": <plain text after Reject All tracked changes>}

On failure prints a one-line error to stderr and exits non-zero
(2: bad usage / input, 3: timeout, 1: any other failure).

A private soffice is started for every run (throwaway profile under /tmp and a
unique pipe name), so it never collides with a user's LibreOffice or with a
parallel test; it is terminated, and killed if needed, whatever happens.

Plain text comes from LibreOffice's "Text (encoded)" export (UTF-8), read back
with LF line ends and without a BOM: one line per paragraph, each table cell
on its own line, a manual line break (w:br) becomes a line break as well.
List numbers are included and indented ("    1. Definitions", "(a) ...").

LibreOffice 7.4 behaviour worth knowing when writing assertions:
  * adjacent w:ins (or w:del) with the same author and the same date to the
    minute are merged into ONE redline (seconds are ignored for merging), also
    across a paragraph boundary; a merged redline reports the first date;
  * the "Z" of w:date is dropped (no time-zone conversion); a missing w:date
    comes out as "1970-01-01T00:00:00";
  * w:rPrChange / w:pPrChange come out as "Format" / "ParagraphFormat".

How: the redlines and comments are read from a model loaded without a view
(TextDocument + XLoadable.load); Accept All / Reject All are the real
.uno:AcceptAllTrackedChanges / .uno:RejectAllTrackedChanges commands run on a
hidden view of the document, then the result is exported to text.

Quirk handled here: with Debian's *-nogui LibreOffice packages the Writer .ui
files are missing, and a *view* of a document that has comments aborts
soffice (SwAnnotationWin -> InterimItemWindow -> NoSuchElementException,
signal 6). So when the document has comments, Accept/Reject run on a private
copy whose comment anchors (w:commentRangeStart/End, w:commentReference) were
removed; comments are not part of the text export anyway.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile

DEFAULT_TIMEOUT = 120.0  # whole run, seconds
CONNECT_TIMEOUT = 60.0  # waiting for soffice to accept connections
TERMINATE_GRACE = 10.0  # waiting for soffice to exit after terminate()


DOCX_FILTER = "MS Word 2007 XML"

_COMMENT_TAGS = r"(?:[A-Za-z_][\w.-]*:)?(?:commentRangeStart|commentRangeEnd|commentReference)"
_COMMENT_ANCHOR = re.compile((r"<%s\b[^>]*?(?:/>|>\s*</%s\s*>)" % (_COMMENT_TAGS, _COMMENT_TAGS)).encode())


class Failure(Exception):
    """An error reported as one line on stderr."""


def _one_line(text):
    return " ".join(str(text).split())


def _fail(msg, code):
    try:
        sys.stderr.write("lo_revisions: %s\n" % _one_line(msg))
        sys.stderr.flush()
    except Exception:
        pass
    return code


class Office:
    """A private, headless soffice process and a UNO connection to it."""

    def __init__(self):
        self.proc = None
        self.tmpdir = tempfile.mkdtemp(prefix="lo_revisions_")
        self.pipe = "lo_revisions_%d_%s" % (os.getpid(), os.path.basename(self.tmpdir))
        self.ctx = None
        self.smgr = None
        self.desktop = None
        self._lock = threading.Lock()

    # -- process -------------------------------------------------------------
    def start(self):
        soffice = os.environ.get("LO_SOFFICE") or shutil.which("soffice") or "/usr/bin/soffice"
        profile = os.path.join(self.tmpdir, "profile")
        args = [
            soffice,
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            "--nolockcheck",
            "-env:UserInstallation=file://" + profile,
            "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % self.pipe,
        ]
        env = dict(os.environ)
        env.pop("PYTHONPATH", None)  # don't leak a venv into LO's own python
        log = open(os.path.join(self.tmpdir, "soffice.log"), "wb")
        try:
            # Own session/process group: soffice (shell) -> oosplash -> soffice.bin
            # can then all be killed at once with killpg().
            self.proc = subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                cwd=self.tmpdir,
                env=env,
                start_new_session=True,
                close_fds=True,
            )
        except OSError as e:
            raise Failure("cannot start %s: %s" % (soffice, e))
        finally:
            log.close()

    def connect(self, deadline):
        import uno
        from com.sun.star.connection import NoConnectException

        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        url = "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % self.pipe
        last = None
        while True:
            rc = self.proc.poll()
            if rc is not None:
                raise Failure("soffice exited with code %s before accepting a connection%s" % (rc, self._log_tail()))
            try:
                self.ctx = resolver.resolve(url)
                break
            except NoConnectException as e:
                last = e
            if time.monotonic() > deadline:
                raise Failure(
                    "could not connect to soffice within %.0f s (%s)%s"
                    % (CONNECT_TIMEOUT, getattr(last, "Message", last), self._log_tail())
                )
            time.sleep(0.25)
        self.smgr = self.ctx.ServiceManager
        self.desktop = self.smgr.createInstanceWithContext("com.sun.star.frame.Desktop", self.ctx)

    def _log_tail(self):
        try:
            with open(os.path.join(self.tmpdir, "soffice.log"), "rb") as f:
                data = f.read()[-300:].decode("utf-8", "replace").strip()
            return ("; soffice said: " + data) if data else ""
        except OSError:
            return ""

    def kill(self):
        """Kill soffice's whole process group (idempotent, thread-safe)."""
        with self._lock:
            proc = self.proc
            if proc is None:
                return
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                proc.wait(5)
            except Exception:
                pass

    def shutdown(self):
        """Terminate the desktop cleanly, kill what is left, remove the profile."""
        try:
            if self.desktop is not None and self.proc is not None and self.proc.poll() is None:
                try:
                    self.desktop.terminate()
                except Exception:
                    pass  # the bridge usually dies while terminating: expected
                try:
                    self.proc.wait(TERMINATE_GRACE)
                except subprocess.TimeoutExpired:
                    pass
        finally:
            # The launcher may be gone while soffice.bin lingers in the group.
            self.kill()
            self.desktop = self.smgr = self.ctx = None
            shutil.rmtree(self.tmpdir, ignore_errors=True)

    # -- helpers -------------------------------------------------------------
    @staticmethod
    def props(**kw):
        from com.sun.star.beans import PropertyValue

        out = []
        for k, v in kw.items():
            p = PropertyValue()
            p.Name = k
            p.Value = v
            out.append(p)
        return tuple(out)

    def load(self, path):
        """Load with a (hidden) view: needed for the dispatcher."""
        import uno
        from com.sun.star.io import IOException
        from com.sun.star.lang import IllegalArgumentException

        url = uno.systemPathToFileUrl(os.path.abspath(path))
        try:
            doc = self.desktop.loadComponentFromURL(
                url,
                "_blank",
                0,
                self.props(Hidden=True, ReadOnly=False, FilterName=DOCX_FILTER, UpdateDocMode=0, MacroExecutionMode=0),
            )
        except (IllegalArgumentException, IOException) as e:
            raise Failure("LibreOffice cannot load %s: %s" % (path, e.Message))
        if doc is None:
            raise Failure("LibreOffice cannot load %s" % path)
        if not doc.supportsService("com.sun.star.text.TextDocument"):
            self.close(doc)
            raise Failure("%s did not load as a text document" % path)
        return doc

    def load_model(self, path):
        """Load the document model only, without any view or window."""
        import uno

        url = uno.systemPathToFileUrl(os.path.abspath(path))
        doc = self.smgr.createInstanceWithContext("com.sun.star.text.TextDocument", self.ctx)
        if doc is None:
            raise Failure("LibreOffice has no Writer (com.sun.star.text.TextDocument)")
        try:
            doc.load(self.props(URL=url, FilterName=DOCX_FILTER, ReadOnly=True, UpdateDocMode=0, MacroExecutionMode=0))
        except Exception as e:
            self.close(doc)
            raise Failure("LibreOffice cannot load %s: %s" % (path, getattr(e, "Message", "") or e))
        return doc

    @staticmethod
    def close(doc):
        if doc is None:
            return
        try:
            doc.close(True)
        except Exception:
            try:
                doc.dispose()
            except Exception:
                pass

    def dispatch(self, doc, command):
        helper = self.smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", self.ctx)
        frame = doc.getCurrentController().getFrame()
        helper.executeDispatch(frame, command, "", 0, ())

    def text_of(self, doc, name):
        import uno

        out = os.path.join(self.tmpdir, name + ".txt")
        doc.storeToURL(
            uno.systemPathToFileUrl(out),
            self.props(FilterName="Text (encoded)", FilterOptions="UTF8,LF", Overwrite=True),
        )
        with open(out, "rb") as f:
            data = f.read()
        text = data.decode("utf-8-sig", "replace")
        return text.replace("\r\n", "\n").replace("\r", "\n")


def _redline_count(doc):
    enum = doc.getRedlines().createEnumeration()
    n = 0
    while enum.hasMoreElements():
        enum.nextElement()
        n += 1
    return n


def _redlines(doc):
    out = []
    enum = doc.getRedlines().createEnumeration()
    while enum.hasMoreElements():
        r = enum.nextElement()
        d = r.getPropertyValue("RedlineDateTime")
        if d is None or not d.Year:
            date = ""
        else:
            date = "%04d-%02d-%02dT%02d:%02d:%02d" % (d.Year, d.Month, d.Day, d.Hours, d.Minutes, d.Seconds)
        out.append(
            {
                "type": str(r.getPropertyValue("RedlineType")),
                "author": str(r.getPropertyValue("RedlineAuthor") or ""),
                "date": date,
            }
        )
    return out


def _comment_count(doc):
    n = 0
    enum = doc.getTextFields().createEnumeration()
    while enum.hasMoreElements():
        f = enum.nextElement()
        if f.supportsService("com.sun.star.text.TextField.Annotation") or f.supportsService(
            "com.sun.star.text.textfield.Annotation"
        ):
            n += 1
    return n


def _resolve_all(office, path, command, name):
    doc = office.load(path)
    try:
        try:
            doc.setPropertyValue("RecordChanges", False)
        except Exception:
            pass
        office.dispatch(doc, command)
        left = _redline_count(doc)
        if left:
            office.dispatch(doc, command)  # belt and braces; then give up
            left = _redline_count(doc)
        if left:
            raise Failure("%d tracked change(s) left after %s" % (left, command))
        return office.text_of(doc, name)
    finally:
        office.close(doc)


def _strip_comment_anchors(src, dst):
    """Copy a .docx, dropping the comment anchors from every word/*.xml part."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            name = info.filename
            if name.startswith("word/") and name.endswith(".xml") and name != "word/comments.xml":
                data = _COMMENT_ANCHOR.sub(b"", data)
            zout.writestr(info, data)


def check_docx(path):
    """Fail early (before starting soffice) on anything that is not a .docx:
    LibreOffice would otherwise happily open garbage as plain text."""
    try:
        with zipfile.ZipFile(path) as z:
            ct = z.read("[Content_Types].xml")
    except (zipfile.BadZipFile, KeyError, OSError) as e:
        raise Failure("%s is not a .docx (%s)" % (path, e))
    if b"wordprocessingml" not in ct:
        raise Failure("%s is not a WordprocessingML package" % path)


def inspect(office, path):
    doc = office.load_model(path)
    try:
        redlines = _redlines(doc)
        comments = _comment_count(doc)
    finally:
        office.close(doc)
    work = path
    if comments:
        work = os.path.join(office.tmpdir, "nocomments.docx")
        _strip_comment_anchors(path, work)
    accepted = _resolve_all(office, work, ".uno:AcceptAllTrackedChanges", "accepted")
    rejected = _resolve_all(office, work, ".uno:RejectAllTrackedChanges", "rejected")
    return {"redlines": redlines, "comments": comments, "accepted_text": accepted, "rejected_text": rejected}


def main(argv=None):
    ap = argparse.ArgumentParser(description="Report tracked changes of a .docx as seen by LibreOffice.")
    ap.add_argument("docx")
    ap.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, help="overall timeout in seconds (default %(default)s)"
    )
    args = ap.parse_args(argv)

    path = args.docx
    if not os.path.isfile(path):
        return _fail("no such file: %s" % path, 2)
    try:
        check_docx(path)
    except Failure as e:
        return _fail(e, 2)
    try:
        import uno  # noqa: F401  (LibreOffice's python bridge)
    except ImportError as e:
        return _fail("cannot import uno (%s); run with /usr/bin/python3 and install python3-uno" % e, 2)

    start = time.monotonic()
    office = Office()

    timed_out = threading.Event()

    def on_timeout():
        # The main thread may be blocked inside a UNO call: kill soffice,
        # clean up and leave from here (the main thread stays silent).
        timed_out.set()
        _fail("timed out after %g s" % args.timeout, 3)
        office.kill()
        shutil.rmtree(office.tmpdir, ignore_errors=True)
        os._exit(3)

    watchdog = threading.Timer(args.timeout, on_timeout)
    watchdog.daemon = True

    def on_term(signum, frame):
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        try:
            signal.signal(sig, on_term)
        except (ValueError, OSError):
            pass

    result = None
    code = 0
    try:
        watchdog.start()
        office.start()
        office.connect(min(start + CONNECT_TIMEOUT, start + args.timeout))
        result = inspect(office, path)
    except BaseException as e:
        if timed_out.is_set():
            code = 3
        elif isinstance(e, Failure):
            code = _fail(e, 1)
        elif isinstance(e, SystemExit):
            code = _fail("interrupted", e.code if isinstance(e.code, int) else 1)
        elif isinstance(e, KeyboardInterrupt):
            code = _fail("interrupted", 130)
        else:
            msg = getattr(e, "Message", "") or str(e)
            rc = office.proc.poll() if office.proc is not None else None
            if rc is not None:
                msg = "soffice died (exit code %s): %s%s" % (rc, msg, office._log_tail())
            code = _fail("%s: %s" % (type(e).__name__, msg), 1)
    finally:
        try:
            office.shutdown()
        finally:
            watchdog.cancel()
            if timed_out.is_set():
                watchdog.join(30)  # on_timeout() ends the process
                os._exit(3)

    if code:
        return code
    sys.stdout.write(json.dumps(result, ensure_ascii=False))
    sys.stdout.write("\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
