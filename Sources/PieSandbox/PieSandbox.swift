// PieSandbox
