"""Private files go to the storage settings.STORAGES names (the local disk under MEDIA_ROOT, or an
S3-compatible bucket shared by every host). A model field keeps the storage object it got when its
class was built, so it is given `NamedStorage(alias)`, which looks the alias up when first used and
again after a test changes STORAGES."""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, empty


class NamedStorage(LazyObject):
    def __init__(self, alias: str):
        super().__init__()
        self.__dict__["_alias"] = alias
        setting_changed.connect(self._forget, weak=False)

    def _setup(self):
        self._wrapped = storages[self.__dict__["_alias"]]

    def _forget(self, *, setting, **kwargs):
        if setting == "STORAGES":
            self._wrapped = empty

    def __reduce__(self):  # deconstructed (migrations) and pickled by alias, not by contents
        return (NamedStorage, (self.__dict__["_alias"],))
