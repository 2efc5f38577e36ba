#pragma once

#include "core/scopes/ScopeSet.h"

#include <QAbstractTableModel>

namespace headroom::ui {

// A profile's rate scopes as a table (scope, match, key, windows): a thin
// model over core's ScopeSet, for the APIs & rates panel. A scope's limit
// other than main's (the rate sets that) is edited as "N per DURATION",
// which core parses; the model tells the panel through limitEdited.
class ScopeTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Scope,
                  Match,
                  Key,
                  Windows,
                  ColumnCount };

    explicit ScopeTableModel(QObject *parent = nullptr);

    void setScopes(const scopes::ScopeSet &scopes);
    const scopes::ScopeSet &scopes() const { return m_scopes; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

signals:
    void limitEdited(const QString &scope, const QList<headroom::scopes::ScopeWindow> &windows);
    // An edit core could not read, and why.
    void editRefused(const QString &message);

private:
    QString windowsText(const scopes::ScopeSpec &scope) const;

    scopes::ScopeSet m_scopes;
};

} // namespace headroom::ui
