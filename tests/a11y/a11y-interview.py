#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A whole interview with the keyboard only, checked through the
accessibility tree, the way a screen reader and a keyboard user meet the
application.

The real `veldwerk` runs on its own Xvfb screen of the size given, with a
real AT-SPI bus (this script runs inside dbus-run-session); keys are real
X key presses (xdotool, XTest). Every step asserts where the focus went;
at every page every focusable control that is showing must have a name.

    a11y-interview.py --veldwerk PATH --cli PATH --build DIR --source DIR \\
                      --size 1024x600 --language nl
"""

import argparse
import ctypes
import faulthandler
import gettext
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

# The test suite's G_DEBUG=fatal-warnings is for the application (which gets
# fatal-criticals here): libatspi warns that GTK 4.8 has no cache, which is
# no fault of the application.
os.environ.pop('G_DEBUG', None)

import gi  # noqa: E402

gi.require_version('Atspi', '2.0')
from gi.repository import Atspi, GLib  # noqa: E402

PASSPHRASE = 'lange zin om te oefenen met veldwerk'
# GTK names an unnamed control after its class (GtkImage, AdwGizmo):
# for a screen reader that is no name.
TYPE_NAME = re.compile(r'^(Gtk|Adw|Vw)[A-Z][A-Za-z]*$')
STEP = 0.05
# Containers that GTK lets take the focus but that are no controls (a
# scrolled window for keyboard scrolling, a list whose rows are the
# controls); a focus that stops on one is still checked for a name.
CONTAINERS = ('scroll pane', 'list', 'panel', 'filler', 'viewport')


class Failure(Exception):
    pass


class Keyboard:
    """Real key presses on the X server (XTest), as a keyboard makes them."""

    SYMBOLS = {' ': 'space', '-': 'minus', '.': 'period', ',': 'comma', ':': 'colon', "'": 'apostrophe',
               '/': 'slash', '?': 'question', '!': 'exclam', '(': 'parenleft', ')': 'parenright'}

    def __init__(self, display):
        self.x11 = ctypes.CDLL('libX11.so.6')
        self.xtst = ctypes.CDLL('libXtst.so.6')
        self.x11.XOpenDisplay.restype = ctypes.c_void_p
        self.x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.x11.XStringToKeysym.restype = ctypes.c_ulong
        self.x11.XStringToKeysym.argtypes = [ctypes.c_char_p]
        self.x11.XKeysymToKeycode.restype = ctypes.c_ubyte
        self.x11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        self.x11.XKeycodeToKeysym.restype = ctypes.c_ulong
        self.x11.XKeycodeToKeysym.argtypes = [ctypes.c_void_p, ctypes.c_ubyte, ctypes.c_int]
        self.x11.XFlush.argtypes = [ctypes.c_void_p]
        self.x11.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        self.xtst.XTestFakeKeyEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]
        self.dpy = self.x11.XOpenDisplay(display.encode())
        if not self.dpy:
            raise Failure('Cannot open the display %s' % display)

    def code(self, name):
        keysym = self.x11.XStringToKeysym(name.encode())
        if keysym == 0:
            raise Failure('No key %s' % name)
        keycode = self.x11.XKeysymToKeycode(self.dpy, keysym)
        if keycode == 0:
            raise Failure('No key code for %s' % name)
        # Shifted when the key's first level is another symbol.
        return keycode, self.x11.XKeycodeToKeysym(self.dpy, keycode, 0) != keysym

    def press(self, combination):
        """Presses a combination such as ctrl+shift+q, Tab or Return."""
        parts = combination.split('+')
        modifiers = {'ctrl': 'Control_L', 'shift': 'Shift_L', 'alt': 'Alt_L'}
        held = [self.code(modifiers[m.lower()])[0] for m in parts[:-1]]
        keycode, shifted = self.code(parts[-1])
        if shifted and self.code('Shift_L')[0] not in held:
            held.append(self.code('Shift_L')[0])
        for code in held:
            self.xtst.XTestFakeKeyEvent(self.dpy, code, True, 0)
        self.xtst.XTestFakeKeyEvent(self.dpy, keycode, True, 0)
        self.xtst.XTestFakeKeyEvent(self.dpy, keycode, False, 0)
        for code in reversed(held):
            self.xtst.XTestFakeKeyEvent(self.dpy, code, False, 0)
        self.x11.XSync(self.dpy, 0)

    def type(self, text):
        for char in text:
            self.press(self.SYMBOLS.get(char, char))
            time.sleep(0.01)


def log(*args):
    print('#', *args, flush=True)


class Session:
    def __init__(self, args):
        self.args = args
        self.width, self.height = (int(x) for x in args.size.split('x'))
        self.tmp = tempfile.mkdtemp(prefix='veldwerk-a11y-')
        self.focus = None
        self.focus_log = []
        self.checked_pages = 0
        self.events = []
        self.procs = []
        trans = gettext.translation('veldwerk', localedir=os.path.join(args.build, 'data', 'po'),
                                    languages=[args.language], fallback=True)
        self._ = trans.gettext
        self.ngettext = trans.ngettext

    # Processes ------------------------------------------------------------

    def start_xvfb(self):
        read, write = os.pipe()
        proc = subprocess.Popen(['Xvfb', '-displayfd', str(write), '-screen', '0',
                                 '%dx%dx24' % (self.width, self.height), '-nolisten', 'tcp'],
                                pass_fds=[write], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write)
        number = b''
        while not number.endswith(b'\n'):
            chunk = os.read(read, 16)
            if not chunk:
                raise Failure('Xvfb did not start')
            number += chunk
        os.close(read)
        self.procs.append(proc)
        self.display = ':' + number.decode().strip()
        self.keyboard = Keyboard(self.display)

    def env(self):
        env = dict(os.environ)
        for name in ('GTK_A11Y', 'NO_AT_BRIDGE', 'G_DEBUG'):
            env.pop(name, None)
        home = os.path.join(self.tmp, 'home')
        env.update({
            'DISPLAY': self.display,
            'HOME': home,
            'XDG_DATA_HOME': os.path.join(home, 'data'),
            'XDG_CONFIG_HOME': os.path.join(home, 'config'),
            'XDG_CACHE_HOME': os.path.join(home, 'cache'),
            'XDG_STATE_HOME': os.path.join(home, 'state'),
            'LANGUAGE': self.args.language,
            'LANG': 'C.UTF-8',
            'GSETTINGS_BACKEND': 'memory',
            'GSETTINGS_SCHEMA_DIR': os.path.join(self.args.build, 'data'),
            'VELDWERK_LOCALEDIR': os.path.join(self.args.build, 'data', 'po'),
            'VELDWERK_PASSPHRASE': PASSPHRASE,
            'GSK_RENDERER': 'cairo',
            # A critical is a bug: it ends the application and the test.
            'G_DEBUG': 'fatal-criticals',
        })
        return env

    def cli(self, *argv):
        result = subprocess.run([self.args.cli, *argv], env=self.env(), capture_output=True, text=True)
        if result.returncode != 0:
            raise Failure('veldwerk-cli %s: %s' % (' '.join(argv), result.stderr))
        return result.stdout

    def make_vault(self):
        """A coordinator's vault in the default place, with the shipped
        questionnaire plus a date question, so every type is asked."""
        with open(os.path.join(self.args.source, 'data', 'questionnaires', 'mo-bw-trajectory.json')) as f:
            questionnaire = json.load(f)
        questionnaire['version'] = '1.0-a11y'
        for module in questionnaire['modules']:
            if module['id'] == 'closing':
                # A date in the past: a date in the future is refused.
                module['questions'].append({'id': 'first_contact', 'type': 'date',
                                            'label': {'nl': 'Wanneer was het eerste contact?',
                                                      'en': 'When was the first contact?'}})
        path = os.path.join(self.tmp, 'questionnaire.json')
        with open(path, 'w') as f:
            json.dump(questionnaire, f)
        for d in ('data', 'config', 'cache', 'state'):
            os.makedirs(os.path.join(self.tmp, 'home', d), exist_ok=True)
        self.cli('init', '--study', 'Veldtest', '--region', 'DH', '--coordinator')
        self.cli('study', 'setup', '--questionnaire', path)
        self.questionnaire = questionnaire
        with open(os.path.join(self.args.source, 'data', 'codebook', 'core.json')) as f:
            self.codebook = json.load(f)

    def start_app(self):
        # Its messages go to a file (a pipe nobody reads would fill up and
        # stop it); a failure shows their end.
        self.app_log = os.path.join(self.tmp, 'veldwerk.log')
        with open(self.app_log, 'w') as log_file:
            self.app_proc = subprocess.Popen([self.args.veldwerk], env=self.env(), stdout=log_file,
                                             stderr=subprocess.STDOUT)
        self.procs.append(self.app_proc)

    def stop(self):
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # The accessibility tree -------------------------------------------------

    def on_event(self, event):
        self.events.append((event.type, event.detail1, event.source))
        if event.type == 'object:state-changed:focused' and event.detail1 == 1:
            self.focus = event.source
            self.focus_log.append(event.source)

    def pump(self, seconds=STEP):
        context = GLib.MainContext.default()
        end = time.monotonic() + seconds
        while True:
            # Bounded: a stream of events must not keep the test here.
            for _ in range(200):
                if not context.iteration(False):
                    break
            self.check_alive()
            if time.monotonic() >= end:
                return
            time.sleep(0.01)

    def check_alive(self):
        if self.app_proc.poll() is not None:
            raise Failure('veldwerk ended (status %s): %s' % (self.app_proc.returncode, self.app_messages()))

    def app_messages(self):
        try:
            with open(self.app_log, errors='replace') as f:
                return f.read()[-3000:]
        except OSError:
            return 

    def wait(self, what, check, timeout=30):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.pump(0.05)
            value = check()
            if value:
                return value
        raise Failure('Waited %ds for %s; the focus is on %s' % (timeout, what, describe(self.focus)))

    def find_app(self):
        desktop = Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            child = desktop.get_child_at_index(i)
            if child is not None and (child.get_name() or '').lower() == 'veldwerk':
                return child
        return None

    def connect(self):
        Atspi.init()
        self.listener = Atspi.EventListener.new(self.on_event)
        for event in ('object:state-changed:focused', 'object:text-caret-moved', 'object:text-selection-changed',
                      'object:text-changed'):
            self.listener.register(event)

        self.app = self.wait('the application on the accessibility bus', self.find_app, 60)

    def windows(self):
        return [self.app.get_child_at_index(i) for i in range(self.app.get_child_count())]

    # Keys -------------------------------------------------------------------

    def key(self, *keys, settle=0.25):
        for k in keys:
            if os.environ.get('A11Y_DEBUG'):
                print('## %.1f key' % time.monotonic(), k, 'focus', describe(self.focus), flush=True)
            self.keyboard.press(k)
            self.pump(settle)

    def type(self, text):
        self.keyboard.type(text)
        self.pump(0.3)


    # The accessibility tree -------------------------------------------------
    #
    # GTK 4.8 tells of the focus only when it moves (a focus event; the
    # focused state is not in the state set), and keeps the last size of a
    # page it hides. So the focus is followed through its events, a field
    # focused when a window opens is found by typing into it, and a control
    # counts as showing when it has a size inside its window.

    def showing(self, acc):
        try:
            e = acc.get_extents(Atspi.CoordType.WINDOW)
        except GLib.Error:
            return False
        return e.width > 0 and e.height > 0 and e.x + e.width > 0 and e.y + e.height > 0 and \
            e.x < self.width and e.y < self.height

    def walk(self, acc, visit, depth=0):
        try:
            n = acc.get_child_count()
        except GLib.Error:
            return
        visit(acc)
        for i in range(n):
            try:
                child = acc.get_child_at_index(i)
            except GLib.Error:
                continue
            if child is not None:
                self.walk(child, visit, depth + 1)

    def window(self, what, name, timeout=10):
        """The window (the application's child) titled @name."""
        def find():
            for w in self.windows():
                try:
                    if w.get_name() == name:
                        return w
                except GLib.Error:
                    pass
            return None
        return self.wait(what, find, timeout)

    def find_in(self, root, predicate):
        found = []

        def visit(acc):
            try:
                if predicate(acc):
                    found.append(acc)
            except GLib.Error:
                pass
        self.walk(root, visit)
        return found

    # Focus ------------------------------------------------------------------

    def focused(self, what, predicate, timeout=10):
        """Waits until the focus (its last event) is on @what."""
        def check():
            try:
                return self.focus is not None and predicate(self.focus)
            except GLib.Error:
                return False
        self.wait(what, check, timeout)
        return self.focus

    def check_focus_step(self, where=''):
        acc = self.focus
        if acc is None:
            raise Failure('%s: the focus went nowhere' % where)
        name = acc.get_name() or ''
        if not self.showing(acc):
            raise Failure('%s: the focus went to %s, which is not showing' % (where, describe(acc)))
        if name.strip() == '' or TYPE_NAME.match(name):
            raise Failure('%s: the focus went to %s, which has no name' % (where, describe(acc)))

    def quiet(self, since, longest=4.0):
        """Pumps until the events a key brought have come: the first within
        @longest, then until none has come for a moment."""
        end = time.monotonic() + longest
        count = len(self.events)
        calm = time.monotonic() if count > since else None
        while time.monotonic() < end:
            self.pump(0.03)
            if len(self.events) != count:
                count = len(self.events)
                calm = time.monotonic()
            elif calm is not None and time.monotonic() - calm > 0.12:
                break
        return self.events[since:]

    def press_and_follow(self, key):
        """Presses @key and follows the focus. A text field of an AdwEntryRow
        tells of its focus by its caret or selection only, or not at all
        (GTK 4.8): then a typed letter shows where it went, and is taken
        back."""
        since = len(self.events)
        self.key(key, settle=0.02)
        events = self.quiet(since)
        for kind, detail, source in reversed(events):
            if kind == 'object:state-changed:focused' and detail == 1:
                self.focus = source
                return source
        for kind, detail, source in reversed(events):
            if kind in ('object:text-caret-moved', 'object:text-selection-changed'):
                self.focus = source
                self.focus_log.append(source)
                return source
        if not any(kind == 'object:state-changed:focused' for kind, _, _ in events):
            raise Failure('%s did not move the focus (from %s); events: %s' % (
                key, describe(self.focus), [(k, d, describe(src)) for k, d, src in self.events[-12:]]))
        return self.identify_focus(key)

    def identify_focus(self, key='the last key'):
        """Finds a focused text field that told nothing of its focus."""
        # End ends a selection (a field selects all it holds when it gets
        # the focus), so that the letter is added, not typed over it.
        since = len(self.events)
        self.key('End', settle=0.02)
        events = self.quiet(since, 0.8)
        for kind, detail, source in reversed(events):
            if kind in ('object:text-caret-moved', 'object:text-selection-changed'):
                self.focus = source
                self.focus_log.append(source)
                return source
        since = len(self.events)
        self.key('q', settle=0.02)
        events = self.quiet(since, 1.5)
        typed = [source for kind, _, source in events if kind.startswith('object:text-changed:insert')]
        if not typed:
            raise Failure('%s moved the focus to a control that does not tell what it is' % key)
        self.key('BackSpace', settle=0.02)
        self.quiet(len(self.events), 1.5)
        self.focus = typed[-1]
        self.focus_log.append(typed[-1])
        return typed[-1]

    def wait_for_typing(self, what, predicate, timeout=10):
        """Waits until a letter typed goes into the field @what (and takes
        it back): for a focus that the application moves a moment later.
        A letter typed before then goes into no field."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            since = len(self.events)
            self.key('q', settle=0.02)
            events = self.quiet(since, 1.0)
            typed = [source for kind, _, source in events if kind.startswith('object:text-changed:insert')]
            if typed:
                self.key('BackSpace', settle=0.02)
                self.quiet(len(self.events), 1.0)
                self.focus = typed[-1]
                self.focus_log.append(typed[-1])
                if not predicate(self.focus):
                    raise Failure('Typing went into %s, not %s' % (describe(self.focus), what))
                return self.focus
            self.pump(0.2)
        raise Failure('Waited %ds for typing to go into %s; the focus is on %s' % (timeout, what,
                                                                              describe(self.focus)))

    def tab_to(self, what, predicate, backward=False, limit=60):
        """Tab (or Shift+Tab) until the focus is on @what; every stop on the
        way is showing and named."""
        seen = []
        for _ in range(limit):
            self.press_and_follow('shift+Tab' if backward else 'Tab')
            self.check_focus_step('on the way to %s' % what)
            if predicate(self.focus):
                return self.focus
            seen.append(describe(self.focus))
        raise Failure('%d Tab presses did not reach %s: %s' % (limit, what, ', '.join(seen[:30])))

    def tab_around(self, where, limit=150):
        """Tabs through every stop of the page or dialog until the focus is
        back where it was: every focusable control a keyboard user meets is
        showing and has a name."""
        start = key_of(self.focus)
        stops = 0
        names = []
        seen = []
        for _ in range(limit):
            self.press_and_follow('Tab')
            self.check_focus_step(where)
            stops += 1
            names.append('%s “%s”' % key_of(self.focus))
            seen.append(key_of(self.focus))
            if key_of(self.focus) == start:
                self.checked_pages += 1
                log('%s: %d Tab stops, all named and showing' % (where, stops))
                return seen
        raise Failure('%s: more than %d Tab stops without coming back to %s: %s' % (where, limit, start,
                                                                                 ', '.join(names[:40])))


def key_of(acc):
    try:
        return (acc.get_role_name(), acc.get_name())
    except GLib.Error:
        return None


def named(text, role=None):
    """A control named @text. GTK 4.8 reads a mnemonic's underline into the
    name, names a button with one twice ("_Enrol Enrol"), and adds a
    button's own label to the name it was given ("Start the interview of
    round T0 Start Interview")."""
    plain = text.replace('_', '')

    def predicate(acc):
        name = (acc.get_name() or '').replace('_', '')
        kind = acc.get_role_name()
        if role is not None and kind != role:
            return False
        if name == plain:
            return True
        if kind not in ('push button', 'toggle button', 'check box', 'radio button'):
            return False
        return name == '%s %s' % (plain, plain) or name.startswith(plain + ' ')
    return predicate


def plain(label):
    """A label without the underline of its mnemonic."""
    return label.replace('_', '')


def text_of(acc):
    n = Atspi.Text.get_character_count(acc)
    return Atspi.Text.get_text(acc, 0, n)


def describe(acc):
    if acc is None:
        return 'nothing'
    try:
        return '%s “%s”' % (acc.get_role_name(), acc.get_name())
    except GLib.Error:
        return 'a control that is gone'


def interview(s):
    _ = s._
    # Unlock: typing goes into the passphrase, Enter unlocks.
    s.pump(2)
    s.type(PASSPHRASE)
    s.key('Return')
    s.focused('the participant list', lambda acc: named(_('_Participants'))(acc) or
              named(_('Search participants'))(acc), 60)
    s.tab_around('participants page')

    # Enrol (Ctrl+N): typing goes into the pseudonym, Enter enrols.
    s.key('ctrl+n')
    s.window('the enrol dialog', _('Enrol a Participant'))
    s.type('Noor')
    s.press_and_follow('Tab')
    s.press_and_follow('shift+Tab')
    pseudonym = s.focused('the pseudonym field', named(_('Pseudonym')))
    if text_of(pseudonym) != 'Noor':
        raise Failure('What was typed in the enrol dialog went elsewhere: the pseudonym holds “%s”' %
                      text_of(pseudonym))
    s.tab_around('enrol dialog')
    s.tab_to('the municipality', named(_('Municipality of origin')))
    s.type('Den Haag')
    s.tab_to('the birth year', named(_('Birth year (four digits)')))
    s.type('1984')
    s.key('Return')
    s.tab_to('the start of round T0', named(_('Start the interview of round %s') % 'T0'))
    s.tab_around('participant page')
    start_interview(s)
    answer_every_type(s)
    finish_and_reopen(s)


def question(s, qid):
    for module in s.questionnaire['modules']:
        for q in module['questions']:
            if q['id'] == qid:
                return q['label'][s.args.language]
    raise Failure('No question %s' % qid)


def module_title(s, mid):
    for module in s.questionnaire['modules']:
        if module['id'] == mid:
            return module['title'][s.args.language]
    raise Failure('No module %s' % mid)


def code_label(s, codelist, code):
    lists = dict(s.codebook['codelists'])
    lists.update(s.questionnaire.get('codelists', {}))
    entry = lists[codelist]
    for c in entry['codes'] if isinstance(entry, dict) else entry:
        if c['code'] == code:
            return c['label'][s.args.language]
    raise Failure('No code %s in %s' % (code, codelist))


def typed_into(s, what, predicate, text):
    """Checks that what was typed went into the field @what: the focus goes
    on and comes back to it, and it holds @text."""
    s.press_and_follow('Tab')
    s.press_and_follow('shift+Tab')
    field = s.focused(what, predicate)
    if text_of(field) != text:
        raise Failure('Typed “%s”, but %s holds “%s”' % (text, what, text_of(field)))
    return field


def choose_in_popover(s, steps):
    """Opens the drop-down (or combo row) that has the focus and chooses
    the entry @steps below the one chosen now; the focus goes back to it
    (or where the application sends it)."""
    owner = s.focus
    s.key('space', settle=0.4)
    for _ in range(steps):
        s.key('Down', settle=0.08)
    since = len(s.events)
    s.key('Return', settle=0.05)
    events = s.quiet(since, 1.5)
    back = [src for kind, detail, src in events
            if kind == 'object:state-changed:focused' and detail == 1 and (src.get_name() or '') != '']
    s.focus = back[-1] if back else owner


def start_interview(s):
    _ = s._
    s.key('Return')
    first = s.focused('the first interviewer', lambda acc: (acc.get_name() or '').startswith(plain(_('_First interviewer'))), 15)
    s.tab_around('interview setup')
    # A new vault has no interviewers: the list offers to add one.
    if s.focus is not first:
        s.tab_to('the first interviewer', lambda acc: (acc.get_name() or '').startswith(plain(_('_First interviewer'))))
    choose_in_popover(s, 1)
    # The focus goes to the form once the popover has closed (an entry row
    # tells of it by nothing but what is typed into it).
    s.wait_for_typing('the new interviewer’s name', named(_('_Name')))
    s.type('Sam')
    typed_into(s, 'the new interviewer’s name', named(_('_Name')), 'Sam')
    s.tab_to('Add Interviewer', named(_('_Add Interviewer')))
    s.key('Return')
    s.tab_to('the new interviewer’s name', named(_('_Name')), backward=True)
    s.type('Noor')
    s.tab_to('the role', lambda acc: (acc.get_name() or '').startswith(plain(_('_Role'))))
    choose_in_popover(s, 1)
    s.tab_to('Add Interviewer', named(_('_Add Interviewer')))
    s.key('Return')
    # Each interviewer added is chosen in a free place of the duo (the
    # interview would not start otherwise).
    # Consent: research yes, Wmo linkage no.
    s.tab_to('consent to the research', named(code_label(s, 'consent', 'ja')))
    s.key('space')
    s.tab_to('consent to linking', named(code_label(s, 'consent', 'nee')))
    s.key('space')
    s.tab_to('Start Interview', named(_('_Start Interview')))
    s.key('Return')


def answer_every_type(s):
    _ = s._
    lang = s.args.language
    # The questions start with the birth year, given at enrolment and shown
    # here (one home for a fact about the participant).
    year = s.identify_focus('Start Interview')
    if year.get_name() != question(s, 'birth_year') or text_of(year) != '1984':
        raise Failure('The interview starts on %s holding “%s”, not on the birth year from the enrolment' %
                      (describe(year), text_of(year)))
    stops = s.tab_around('interview: %s' % module_title(s, 'about_you'))
    titles = [m['title'][lang] for m in s.questionnaire['modules']]
    in_list = [name for role, name in stops if role == 'list item' and name in titles]
    if len(in_list) != 1:
        raise Failure('The module list is %d Tab stops (%s), not one' % (len(in_list), ', '.join(in_list)))
    municipality = s.tab_to('the municipality', named(question(s, 'municipality')))
    if text_of(municipality) != 'Den Haag':
        raise Failure('The municipality from the enrolment is not shown: “%s”' % text_of(municipality))
    s.tab_to('the origin', named(code_label(s, 'origin', 'centrumgemeente')))
    s.key('space')

    # Ctrl+Page Down from a text box: the next module, focus on its first
    # question.
    s.tab_to('the municipality', named(question(s, 'municipality')), backward=True)
    s.press_and_follow('ctrl+Next')
    s.focused('the first question of the life history', named(code_label(s, 'ja_nee_niet_besproken', 'ja')))
    s.key('space')

    # A long answer: Tab leaves it, Ctrl+Tab types a tab.
    story = s.tab_to('the life story', named(question(s, 'life_story')))
    s.type('Ik sliep bij Jan in de auto')
    after = s.press_and_follow('Tab')
    if after.get_name() == story.get_name():
        raise Failure('Tab stayed in the text box')
    s.press_and_follow('shift+Tab')
    story = s.focused('the life story', named(question(s, 'life_story')))
    if text_of(story) != 'Ik sliep bij Jan in de auto':
        raise Failure('Tab went into the answer: “%s”' % text_of(story))
    s.key('ctrl+Tab')
    if text_of(story) != 'Ik sliep bij Jan in de auto\t':
        raise Failure('Ctrl+Tab did not type a tab: “%s”' % text_of(story))
    s.key('BackSpace')

    # A quote of the answer: the dialog starts in its theme, Ctrl+Enter saves.
    s.key('ctrl+a')
    s.key('ctrl+shift+q', settle=0.6)
    dialog = s.window('the quote dialog', _('Save Quote'))
    s.press_and_follow('Tab')
    s.press_and_follow('shift+Tab')
    s.focused('the theme', lambda acc: (acc.get_name() or '').startswith(plain(_('_Theme'))))
    s.tab_around('quote dialog')
    s.key('ctrl+Return', settle=0.6)
    s.wait('the quote dialog to close', lambda: dialog not in s.windows())

    # A note: the expander opens, Tab goes into the note and out again.
    s.press_and_follow('Tab')
    s.tab_to('the note of the life story', named(_('Note')))
    s.key('space')
    note = s.tab_to('the note', lambda acc: acc.get_role_name() == 'text' and acc.get_name() == _('Note'))
    s.type('Wil graag een eigen plek.')
    s.press_and_follow('Tab')
    if text_of(note) != 'Wil graag een eigen plek.':
        raise Failure('The note holds “%s”' % text_of(note))

    # The module list: one Tab stop; Alt+Left goes back a module there, the
    # arrows move, Enter chooses and takes the focus to its questions.
    s.tab_to('the module list', named(module_title(s, 'life_history'), 'list item'), backward=True)
    s.press_and_follow('alt+Left')
    s.focused('the row of the previous module', named(module_title(s, 'about_you'), 'list item'))
    s.press_and_follow('Down')
    s.press_and_follow('Down')
    s.focused('the row of the module after it', named(module_title(s, 'residence_now'), 'list item'))
    s.press_and_follow('Return')
    s.focused('the first question of the module chosen', named(question(s, 'residence')))
    # A drop-down (twelve kinds of place), then a month.
    choose_in_popover(s, 1)
    s.tab_to('since when', named(question(s, 'residence_since')))
    s.type('2023-06')
    s.tab_around('interview: %s' % module_title(s, 'residence_now'))

    # The residence history, then support: yes, a multiple choice, a grade.
    s.press_and_follow('ctrl+Next')
    s.tab_to('Add a stay', named(_('_Add a stay')))
    s.press_and_follow('Return')
    s.focused('the new stay', named(_('Where')))
    choose_in_popover(s, 1)
    s.tab_to('the start of the stay', named(_('Start month')))
    s.type('2022-01')
    s.tab_to('still there', named(_('_Still there')))
    s.key('space')
    s.press_and_follow('ctrl+Next')
    s.focused('the first question of support', named(code_label(s, 'ja_nee_niet_besproken', 'ja')))
    s.key('space')
    s.tab_to('a kind of help', named(code_label(s, 'support_sources', 'ggz')))
    s.key('space')
    s.tab_to('grade 7', named(_('Grade %d') % 7))
    s.key('space')

    # Daytime is required and left open; a number in the network module.
    for module in ('daytime', 'finances', 'indication', 'network'):
        s.press_and_follow('ctrl+Next')
    s.tab_to('the size of the network', named(question(s, 'network_size')))
    s.type('12')
    # A date in the closing module.
    for module in ('health', 'experiences', 'experience_expertise', 'perspective', 'closing'):
        s.press_and_follow('ctrl+Next')
    s.tab_to('the first contact', named(question(s, 'first_contact')))
    s.type('2021-03-15')
    s.press_and_follow('Tab')


def finish_and_reopen(s):
    _ = s._
    # The review names what is open; finishing with a required question open
    # asks first, naming it.
    s.tab_to('Review and Finish', named(_('_Review and Finish…')))
    s.key('Return', settle=0.5)
    s.press_and_follow('Tab')
    stops = s.tab_around('review')
    listed = [name for role, name in stops if role == 'push button']
    for qid in ('participation',):
        if not any(name.startswith(question(s, qid)) for name in listed):
            raise Failure('The review does not list the open question %s: %s' % (qid, listed))
    for qid in ('birth_year', 'life_story', 'residence', 'residence_since', 'stays_last_five_years',
                'support_grade', 'network_size', 'first_contact'):
        if any(name.startswith(question(s, qid)) for name in listed):
            raise Failure('The review lists %s, which was answered' % qid)
    s.tab_to('Finish Interview', named(_('_Finish Interview')))
    s.key('Return', settle=0.6)
    confirm = s.window('the question before finishing', _('Finish With Required Questions Open?'))
    s.press_and_follow('Tab')
    s.tab_to('Finish Anyway', named(_('_Finish Anyway')))
    s.key('Return', settle=0.6)
    s.wait('the question to close', lambda: confirm not in s.windows())

    # Reopened, with a reason, the interview goes on.
    s.tab_to('Reopen', named(_('Reopen the interview of round %s') % 'T0'))
    s.key('Return', settle=0.6)
    reopen = s.window('the question why', _('Reopen the Interview?'))
    s.type('Geboortejaar verkeerd')
    s.key('Return', settle=0.8)
    s.wait('the reopen dialog to close', lambda: reopen not in s.windows())
    s.tab_to('Pause', named(_('P_ause')))
    s.key('Return', settle=0.6)
    s.tab_to('the resume of round T0', named(_('Resume the interview of round %s') % 'T0'))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--veldwerk', required=True)
    parser.add_argument('--cli', required=True)
    parser.add_argument('--build', required=True)
    parser.add_argument('--source', required=True)
    parser.add_argument('--size', default='1024x600')
    parser.add_argument('--language', default='en')
    # A run takes about two minutes on a busy two-core machine; a hang
    # fails it well before the test suite's timeout, with where it was.
    parser.add_argument('--deadline', type=int, default=480)
    args = parser.parse_args()

    def overdue(signum, frame):
        faulthandler.dump_traceback()
        raise Failure('Not done after %d seconds' % args.deadline)
    signal.signal(signal.SIGALRM, overdue)
    signal.alarm(args.deadline)

    session = Session(args)
    started = time.monotonic()
    try:
        session.start_xvfb()
        session.make_vault()
        session.start_app()
        session.connect()
        log('connected after %.1fs' % (time.monotonic() - started))
        interview(session)
        log('%d pages checked for names; done after %.1fs' % (session.checked_pages, time.monotonic() - started))
    except Failure as e:
        print('not ok 1 - %s' % e)
        messages = session.app_messages() if hasattr(session, 'app_log') else ''
        if messages:
            print('# veldwerk said:\n# ' + messages.replace('\n', '\n# '))
        return 1
    finally:
        signal.alarm(0)
        session.stop()
    print('ok 1')
    return 0


if __name__ == '__main__':
    # `kill -USR1` shows where a hanging run is.
    faulthandler.register(signal.SIGUSR1)
    print('1..1', flush=True)
    sys.exit(main())
